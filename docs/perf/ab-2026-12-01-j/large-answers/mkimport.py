import json, sys
D="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
def key(i): return "c"+D[i//3844]+D[(i//62)%62]+D[i%62]
n=int(sys.argv[1])
items={"lane1":{"id":"lane1","type":"lane","parent":None,"pos":"a0","fields":{"title":"Lane"}}}
for i in range(n):
    items["c%d"%i]={"id":"c%d"%i,"type":"card","parent":"lane1","pos":key(i),"fields":{"title":"Card %d exchange students"%i,"status":"todo"}}
print(json.dumps({"format":"linkboard","unit":"university","data":{"format":"linkboard","formatVersion":1,"board":{"id":"x","title":"Big"},"version":1,"items":items}}))

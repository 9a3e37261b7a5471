// Renders an item of the example-checklist module inside the board view.
// The web app imports this module from /api/modules/example-checklist/assets/checklist.js and calls
// render(item, type, el, board) for every item whose type belongs to the module.
export function render(item, type, el, board) {
  el.textContent = '';
  const title = document.createElement('strong');
  title.textContent = item.fields.title || '(untitled)';
  el.append(title);
  if (type.id === 'checklist') {
    const tasks = Object.values((board && board.items) || {})
      .filter((i) => i.parent === item.id && i.type === 'example-checklist:task');
    const done = tasks.filter((t) => t.fields.done === true).length;
    const meta = document.createElement('div');
    meta.className = 'lb-meta';
    meta.textContent = `${item.fields.stage || 'open'} · ${done}/${tasks.length} done`;
    el.append(meta);
  } else {
    el.prepend(item.fields.done ? '☑ ' : '☐ ');
  }
}

// Renders a course of the course-introduction module inside the board view.
// The web app imports this file from /api/modules/course-introduction/assets/course.js and calls
// render(item, type, el, board) for every item of the module (docs/plugins.md §5).
// Every value comes from users, so it is only ever written with textContent, never as HTML.

const STAGE_NAMES = {
  proposal: 'Proposal', evaluation: 'Evaluation', approval: 'Approved', scheduling: 'Scheduling',
  running: 'Running', review: 'Review', rejected: 'Rejected', withdrawn: 'Withdrawn',
};

function line(el, className, text) {
  const div = document.createElement('div');
  div.className = className;
  div.textContent = text;
  el.append(div);
  return div;
}

export function render(item, type, el, board) {
  const f = item.fields || {};
  el.textContent = '';
  const title = document.createElement('strong');
  title.textContent = f.title || '(untitled course)';
  el.append(title);

  const origin = [f.partnerUniversity, f.country].filter(Boolean).join(', ');
  if (origin) line(el, 'lb-meta', origin);

  const facts = [];
  if (f.credits !== undefined) facts.push(`${f.credits} credits`);
  if (f.hours !== undefined) facts.push(`${f.hours} h`);
  if (f.teachingLanguage) facts.push(f.teachingLanguage);
  if (f.term) facts.push(f.term);
  if (facts.length) line(el, 'lb-meta', facts.join(' · '));

  // The credit recognition is what the registrar looks for first.
  if (f.localCourseCode || f.localCourseName) {
    line(el, 'lb-meta', `Recognised as ${[f.localCourseCode, f.localCourseName].filter(Boolean).join(' ')}`);
  }
  const stage = STAGE_NAMES[f.stage] || f.stage || 'Proposal';
  const badge = line(el, 'lb-badge', stage);
  badge.dataset.stage = f.stage || 'proposal';
  // Say what is missing for the next step, as the server's rules will ask for it.
  if (f.stage === 'evaluation' && !f.evaluation) line(el, 'lb-hint', 'Needs an evaluation before approval');
  if (f.stage === 'approval' && !f.term) line(el, 'lb-hint', 'Needs a term before scheduling');
}

// Renders programmes and participants of the student-exchange module inside the board view.
// The web app imports this file from /api/modules/student-exchange/assets/exchange.js and calls
// render(item, type, el, board) for every item of the module (docs/plugins.md §5).
// Names come from users: they are only ever written with textContent, never as HTML.

const STAGE_NAMES = {
  application: 'Application', nomination: 'Nomination', confirmed: 'Confirmed',
  departed: 'Departed', returned: 'Returned', withdrawn: 'Withdrawn',
};

function line(el, className, text) {
  const div = document.createElement('div');
  div.className = className;
  div.textContent = text;
  el.append(div);
  return div;
}

function renderProgramme(item, el) {
  const f = item.fields || {};
  const title = document.createElement('strong');
  title.textContent = f.title || '(untitled programme)';
  el.append(title);
  const where = [f.partner, f.country].filter(Boolean).join(', ');
  if (where) line(el, 'lb-meta', where);
  const when = [f.level, f.duration, f.term, f.year].filter((x) => x !== undefined && x !== '').join(' · ');
  if (when) line(el, 'lb-meta', String(when));
  // `students` is kept by the module: the participants confirmed or later.
  const students = Number(f.students || 0);
  const places = f.quota !== undefined ? `${students} / ${f.quota} places confirmed` : `${students} confirmed`;
  const bar = line(el, 'lb-progress', places);
  if (f.quota) bar.style.setProperty('--lb-progress', `${Math.min(100, Math.round((100 * students) / f.quota))}%`);
}

function renderParticipant(item, el, board) {
  const f = item.fields || {};
  const name = document.createElement('strong');
  name.textContent = f.studentName || '(unnamed student)';
  el.append(name);
  if (f.studentId) el.append(document.createTextNode(` (${f.studentId})`));
  const programme = board && board.items && board.items[f.programme];
  line(el, 'lb-meta', programme ? `${programme.fields.title || f.programme}` : `Programme ${f.programme || '?'}`);
  const badge = line(el, 'lb-badge', STAGE_NAMES[f.stage] || f.stage || 'Application');
  badge.dataset.stage = f.stage || 'application';
  if (f.creditTransfer) line(el, 'lb-meta', `Credit transfer: ${f.creditTransfer}`);
}

export function render(item, type, el, board) {
  el.textContent = '';
  if (String(item.type).endsWith(':programme')) renderProgramme(item, el);
  else renderParticipant(item, el, board);
}

// Renders a candidate of the foreign-teacher-recruitment module inside the board view.
// The web app imports this file from /api/modules/foreign-teacher-recruitment/assets/recruitment.js
// and calls render(item, type, el, board) for every item of the module (docs/plugins.md §5).
// Names and notes come from users: they are only ever written with textContent, never as HTML.

const STAGE_NAMES = {
  sourcing: 'Sourcing', screening: 'Screening', interview: 'Interview', offer: 'Offer',
  visa: 'Work permit / visa', onboarding: 'Onboarding', arrival: 'Arrived', rejected: 'Rejected', withdrawn: 'Withdrawn',
};
const DAY = 86400000;

function line(el, className, text) {
  const div = document.createElement('div');
  div.className = className;
  div.textContent = text;
  el.append(div);
  return div;
}

/** Days since the candidate entered its current stage, from the module's stageLog ("stage@instant"). */
function daysInStage(fields) {
  const log = Array.isArray(fields.stageLog) ? fields.stageLog : [];
  const last = log[log.length - 1];
  if (typeof last !== 'string') return null;
  const at = Date.parse(last.slice(last.lastIndexOf('@') + 1));
  return Number.isNaN(at) ? null : Math.max(0, Math.floor((Date.now() - at) / DAY));
}

export function render(item, type, el, board) {
  const f = item.fields || {};
  el.textContent = '';
  const name = document.createElement('strong');
  name.textContent = f.name || '(unnamed candidate)';
  el.append(name);

  const who = [f.nationality, f.discipline, f.highestDegree].filter(Boolean).join(' · ');
  if (who) line(el, 'lb-meta', who);

  const days = daysInStage(f);
  const stage = STAGE_NAMES[f.stage] || f.stage || 'Sourcing';
  const badge = line(el, 'lb-badge', days === null ? stage : `${stage} · ${days} d`);
  badge.dataset.stage = f.stage || 'sourcing';

  const facts = [];
  if (f.salaryBand) facts.push(`Band ${f.salaryBand}`);
  if (f.visaStatus) facts.push(`Visa: ${f.visaStatus}`);
  if (f.expectedStart) facts.push(`Starts ${f.expectedStart}`);
  if (facts.length) line(el, 'lb-meta', facts.join(' · '));

  // The follow-up cards the module created carry the tag "candidate:<id>".
  const tag = `candidate:${item.id}`;
  const followUps = Object.values((board && board.items) || {})
    .filter((i) => i.type === 'card' && Array.isArray(i.fields && i.fields.tags) && i.fields.tags.includes(tag));
  if (followUps.length) {
    const done = followUps.filter((c) => c.fields.status === 'done').length;
    line(el, 'lb-meta', `Follow-ups ${done}/${followUps.length} done`);
  }
  if (f.stage === 'onboarding' && f.visaStatus !== 'granted') line(el, 'lb-hint', 'Arrival needs a granted work permit');
}

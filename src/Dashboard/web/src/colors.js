// One colour per class name wherever it appears (charts, the list, the 3D view), and one per event kind.
const known = {
  fcc: '#2e7d32', hcp: '#ef6c00', bcc: '#1565c0', icos: '#8e24aa', sc: '#00838f',
  liquid: '#9e9e9e', fluid: '#9e9e9e', other: '#bdbdbd', undefined: '#e0e0e0',
  'form i': '#2e7d32', 'form iv': '#1565c0', crystal: '#2e7d32',
};
const palette = ['#6a1b9a', '#00897b', '#c62828', '#5d4037', '#283593', '#9e9d24', '#ad1457', '#0277bd'];
const assigned = new Map();

export function classColor(name) {
  const key = String(name).toLowerCase();
  if (known[key]) return known[key];
  if (!assigned.has(key)) assigned.set(key, palette[assigned.size % palette.length]);
  return assigned.get(key);
}

const eventColors = {
  nucleation: '#c62828', melting: '#ef6c00', polymorph_change: '#6a1b9a', interface_motion: '#00838f',
  commitment: '#2e7d32', stall: '#757575', stop: '#000000', restart: '#5d4037',
};

export const eventColor = (kind) => eventColors[kind] ?? '#455a64';

export const runColors = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#5d4037', '#ad1457', '#9e9d24', '#283593'];

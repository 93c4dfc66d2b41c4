// A node job: typed-array arithmetic and object churn (scenario real.node).
let x = 1n, s = 0;
const a = new Float64Array(1 << 20);
for (let r = 0; r < 300; r++) {
  for (let i = 0; i < a.length; i++) { a[i] = a[i] * 0.5 + Math.sin(i + r); s += a[i]; }
  const o = {}; for (let k = 0; k < 20000; k++) o['k' + k] = k * r;
  console.log('round', r, s.toFixed(3), Object.keys(o).length);
}
console.log('done');

// The Go board of the demo page: the visitor plays stones on a 19×19 board
// and a move predictor trained by examples/baduk shows, as a heat map, how
// likely it finds every legal move for the side to play.

const SIZE = 19;
const CELL = 28;
const EDGE = 28; // canvas pixels from the border to the outer lines

export function initBoard(nn) {
  const $ = (id) => document.getElementById(id);
  const canvas = $('goban');
  const ctx = canvas.getContext('2d');
  const status = $('board-status');
  const buttons = ['board-undo', 'board-pass', 'board-clear'].map($);
  const moves = [];
  let net = null;
  let view = null; // the last scoreBoard result

  const say = (text, kind = 'ready') => {
    status.textContent = text;
    status.dataset.state = kind;
  };

  function use(bytes, name) {
    try {
      const loaded = nn.load(bytes);
      loaded.scoreBoard([]); // checks that it is a board model
      net?.dispose();
      net = loaded;
      moves.length = 0;
      buttons.forEach((b) => { b.disabled = false; });
      say(`Model ${name}: ${net.layers.map((l) => l.outputs).join('-')} units.`);
      update();
    } catch (e) {
      say(`${name}: ${e.message}`, 'error');
    }
  }

  function update() {
    if (net) view = net.scoreBoard(moves);
    draw();
  }

  function play(point) {
    if (!net) return;
    try {
      view = net.scoreBoard([...moves, point]);
      moves.push(point);
      say(`${moves.length} moves; ${view.toPlay} to play.`);
    } catch (e) {
      say(e.message, 'error');
    }
    draw();
  }

  const xy = (p) => [EDGE + (p % SIZE) * CELL, EDGE + Math.floor(p / SIZE) * CELL];

  function draw() {
    ctx.fillStyle = '#dcb468';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = '#3b2a12';
    ctx.lineWidth = 1;
    for (let i = 0; i < SIZE; i++) {
      ctx.beginPath();
      ctx.moveTo(EDGE, EDGE + i * CELL);
      ctx.lineTo(EDGE + (SIZE - 1) * CELL, EDGE + i * CELL);
      ctx.moveTo(EDGE + i * CELL, EDGE);
      ctx.lineTo(EDGE + i * CELL, EDGE + (SIZE - 1) * CELL);
      ctx.stroke();
    }
    for (const r of [3, 9, 15]) {
      for (const c of [3, 9, 15]) {
        const [x, y] = xy(r * SIZE + c);
        ctx.beginPath();
        ctx.arc(x, y, 3, 0, 2 * Math.PI);
        ctx.fillStyle = '#3b2a12';
        ctx.fill();
      }
    }
    if (!view) return;

    // heat: the square root spreads the long tail of small probabilities
    const best = Math.max(...view.scores);
    const top = [...view.scores.keys()].sort((a, b) => view.scores[b] - view.scores[a]).slice(0, 5);
    for (let p = 0; p < SIZE * SIZE; p++) {
      if (!view.legal[p] || best <= 0) continue;
      const heat = Math.sqrt(view.scores[p] / best);
      const [x, y] = xy(p);
      ctx.fillStyle = `rgba(214, 40, 40, ${(0.08 + 0.8 * heat).toFixed(3)})`;
      ctx.fillRect(x - CELL / 2 + 1, y - CELL / 2 + 1, CELL - 2, CELL - 2);
    }
    ctx.font = '600 10px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const p of top) {
      if (!view.legal[p] || view.scores[p] <= 0) continue;
      const [x, y] = xy(p);
      ctx.fillStyle = '#fff';
      const pct = 100 * view.scores[p];
      ctx.fillText(pct >= 9.5 ? pct.toFixed(0) : pct.toFixed(1), x, y);
    }
    for (let p = 0; p < SIZE * SIZE; p++) {
      if (!view.stones[p]) continue;
      const [x, y] = xy(p);
      const black = view.stones[p] === 1;
      const g = ctx.createRadialGradient(x - 4, y - 4, 2, x, y, CELL / 2);
      g.addColorStop(0, black ? '#555' : '#fff');
      g.addColorStop(1, black ? '#111' : '#cfcfcf');
      ctx.beginPath();
      ctx.arc(x, y, CELL / 2 - 1.5, 0, 2 * Math.PI);
      ctx.fillStyle = g;
      ctx.fill();
    }
    const last = moves.at(-1);
    if (last !== undefined && last >= 0 && view.stones[last]) {
      const [x, y] = xy(last);
      ctx.beginPath();
      ctx.arc(x, y, 5, 0, 2 * Math.PI);
      ctx.strokeStyle = view.stones[last] === 1 ? '#fff' : '#111';
      ctx.lineWidth = 2;
      ctx.stroke();
    }
  }

  function pointAt(ev) {
    const r = canvas.getBoundingClientRect();
    const x = ((ev.clientX - r.left) / r.width) * canvas.width;
    const y = ((ev.clientY - r.top) / r.height) * canvas.height;
    const c = Math.round((x - EDGE) / CELL);
    const row = Math.round((y - EDGE) / CELL);
    return c >= 0 && c < SIZE && row >= 0 && row < SIZE ? row * SIZE + c : -1;
  }

  canvas.addEventListener('click', (ev) => {
    const p = pointAt(ev);
    if (p >= 0) play(p);
  });
  canvas.addEventListener('contextmenu', (ev) => {
    ev.preventDefault();
    moves.pop();
    update();
  });
  $('board-undo').addEventListener('click', () => { moves.pop(); update(); });
  $('board-pass').addEventListener('click', () => play(-1));
  $('board-clear').addEventListener('click', () => { moves.length = 0; update(); });
  $('board-file').addEventListener('change', async (ev) => {
    const f = ev.target.files[0];
    if (f) use(await f.arrayBuffer(), f.name);
  });

  draw();
  const url = new URLSearchParams(location.search).get('baduk') ?? 'baduk.nnm';
  fetch(url)
    .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`${r.status}`))))
    .then((bytes) => use(bytes, url.split('/').pop()))
    .catch(() => say('No model beside the page yet: pick one trained by the Go-board example.'));

  return {
    state: () => (view ? { moves: [...moves], ...view, scores: Array.from(view.scores) } : null),
    play,
  };
}

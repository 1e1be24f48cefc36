// Trainlab's live view: draws a training run on canvases while it trains, in the browser.
//
// The server sends keyframes (the model's real predictions after each chunk of epochs, and the real
// curves so far) a few times a second. Between them this view plays the epochs back at the pace they
// arrive, blending one keyframe into the next, so the picture moves every animation frame instead of
// jumping once per redraw. Every keyframe is a real model state; the blend only carries the eye.

const CANVAS_HEIGHT = { plane: 560, curves: 440 };
// Streamlit's own font (its family is "Source Sans" since 1.4x), already loaded by the page
const FONT_FAMILY = "'Source Sans', 'Source Sans Pro', sans-serif";
// The learner's look (light or dark theme, projector mode) comes with every redraw: ui.live_view._look
let FONT = `16px ${FONT_FAMILY}`;
let TITLE_FONT = `bold 19px ${FONT_FAMILY}`;
let TITLE_SIZE = 19;
let LINE_HEIGHT = 24;
let INK = "#262730";
let GRID_LINE = "#e3e3e3";
// The learner's language comes with the look: its decimal sign and the x axis's word
let DECIMAL = ".";
let EPOCH_AXIS = "epoch";

function useLook(look) {
  if (!look) return;
  FONT = `${look.fontSize}px ${FONT_FAMILY}`;
  TITLE_FONT = `bold ${look.titleSize}px ${FONT_FAMILY}`;
  TITLE_SIZE = look.titleSize;
  LINE_HEIGHT = look.fontSize + 8;
  INK = look.ink;
  GRID_LINE = look.grid;
  DECIMAL = look.decimal || ".";
  EPOCH_AXIS = look.epochAxis || "epoch";
}

function wrapWords(context, text, maxWidth) {
  const lines = [];
  let line = "";
  for (const word of text.split(" ")) {
    const longer = line ? `${line} ${word}` : word;
    if (line && context.measureText(longer).width > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = longer;
    }
  }
  return line ? [...lines, line] : lines;
}

// A title too long for its canvas (a half-width column in projector mode) wraps onto more lines instead of
// running off the edge. Returns the last line's baseline, so the chart can start below it.
function drawTitle(context, text, left, maxWidth) {
  context.font = TITLE_FONT;
  context.fillStyle = INK;
  context.textAlign = "left";
  const first = Math.max(24, TITLE_SIZE + 4);
  const lines = wrapWords(context, text, maxWidth);
  lines.forEach((line, index) => context.fillText(line, left, first + index * TITLE_SIZE * 1.25));
  context.font = FONT;
  return first + (lines.length - 1) * TITLE_SIZE * 1.25;
}

function decodeBytes(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function hexToRgb(hex) {
  const value = parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function mix(a, b, t) {
  return a + (b - a) * t;
}

// ---- the shared clock: which epoch is on screen, moving towards the newest one received

function newState(data) {
  return { run: data.run, keyframes: [], shown: null, frames: 0, stamps: [], yRange: null, drawnKey: "" };
}

function receive(state, data) {
  const newest = state.keyframes.length ? state.keyframes[state.keyframes.length - 1].epoch : -1;
  for (const frame of data.keyframes) {
    if (frame.epoch > newest) state.keyframes.push(frame);
  }
  // keep only what playback can still reach, plus one frame behind it to blend from
  while (state.keyframes.length > 2 && state.shown !== null && state.keyframes[1].epoch <= state.shown) {
    state.keyframes.shift();
  }
  if (state.shown === null && state.keyframes.length) state.shown = state.keyframes[0].epoch;
  state.data = data;
  // Play the backlog at an even pace over one redraw interval, so the view reaches the newest keyframe
  // about when the next ones come in: the picture keeps moving at the pace training delivers.
  if (state.keyframes.length) {
    const backlog = state.keyframes[state.keyframes.length - 1].epoch - state.shown;
    state.speed = Math.max(backlog / Math.max(data.tick, 0.1), 4);
  }
}

function step(state, seconds) {
  if (!state.keyframes.length) return false;
  const newest = state.keyframes[state.keyframes.length - 1].epoch;
  if (state.shown >= newest) return false;
  state.shown = Math.min(newest, state.shown + state.speed * seconds);
  return true;
}

function bracket(state) {
  // the two keyframes around the epoch on screen, and how far between them it is
  const frames = state.keyframes;
  let i = 0;
  while (i < frames.length - 1 && frames[i + 1].epoch <= state.shown) i++;
  const a = frames[i];
  const b = frames[Math.min(i + 1, frames.length - 1)];
  const t = b.epoch > a.epoch ? Math.min(Math.max((state.shown - a.epoch) / (b.epoch - a.epoch), 0), 1) : 0;
  return [a, b, t];
}

// ---- the plane: class probabilities everywhere, with the points

function planeColours(plane) {
  const tints = plane.tints.map(hexToRgb);
  const white = [255, 255, 255];
  if (plane.classes === 2) {
    // P(class 1): the first tint at 0, white at 0.5, the second tint at 1 (as the chart after training)
    return (p) => {
      const [from, to, t] = p < 0.5 ? [tints[0], white, p / 0.5] : [white, tints[1], (p - 0.5) / 0.5];
      return [mix(from[0], to[0], t), mix(from[1], to[1], t), mix(from[2], to[2], t)];
    };
  }
  return null;
}

function probabilityImage(plane, a, b, t) {
  const size = plane.size;
  const classes = plane.classes;
  const channels = classes === 2 ? 1 : classes;
  if (!a.bytes) a.bytes = decodeBytes(a.probabilities);
  if (!b.bytes) b.bytes = decodeBytes(b.probabilities);
  const image = new ImageData(size, size);
  const blended = new Float32Array(size * size * channels);
  const binary = planeColours(plane);
  const tints = plane.tints.map(hexToRgb);
  for (let cell = 0; cell < size * size; cell++) {
    // grid rows run from the lowest x2 up; canvas rows run from the top down
    const row = Math.floor(cell / size);
    const pixel = ((size - 1 - row) * size + (cell % size)) * 4;
    let rgb;
    if (binary) {
      const p = mix(a.bytes[cell], b.bytes[cell], t) / 255;
      blended[cell] = p;
      rgb = binary(p);
    } else {
      let best = 0;
      let top = -1;
      for (let k = 0; k < classes; k++) {
        const p = mix(a.bytes[cell * classes + k], b.bytes[cell * classes + k], t) / 255;
        blended[cell * classes + k] = p;
        if (p > top) [top, best] = [p, k];
      }
      const sure = Math.max((top - 1 / classes) / (1 - 1 / classes), 0);
      const tint = tints[best % tints.length];
      rgb = [mix(255, tint[0], sure), mix(255, tint[1], sure), mix(255, tint[2], sure)];
    }
    image.data[pixel] = rgb[0];
    image.data[pixel + 1] = rgb[1];
    image.data[pixel + 2] = rgb[2];
    image.data[pixel + 3] = 255;
  }
  return [image, blended];
}

function decodePoints(points) {
  if (!points.decoded) {
    const bytes = decodeBytes(points.xy);
    points.decoded = { xy: new Float32Array(bytes.buffer), label: decodeBytes(points.label) };
  }
  return points.decoded;
}

function drawPoints(context, plane, box, toX, toY) {
  const groups = [
    [plane.train, 4.5, "white", 1],
    [plane.heldout, 5.5, "black", 2.5],
  ];
  for (const [encoded, radius, edge, edgeWidth] of groups) {
    const points = decodePoints(encoded);
    for (let i = 0; i < points.label.length; i++) {
      context.beginPath();
      context.arc(toX(points.xy[2 * i]), toY(points.xy[2 * i + 1]), radius, 0, 2 * Math.PI);
      context.fillStyle = plane.colours[points.label[i] % plane.colours.length];
      context.fill();
      context.lineWidth = edgeWidth;
      context.strokeStyle = edge;
      context.stroke();
    }
  }
}

function drawPlane(view, state) {
  useLook(state.data.look);
  const plane = state.data.plane;
  const { context, width, height } = view;
  const [a, b, t] = bracket(state);
  const [image, blended] = probabilityImage(plane, a, b, t);
  context.clearRect(0, 0, width, height);
  // the title names a real model state: the keyframe the picture is closer to, not an in-between epoch
  const title = state.data.title.replace("{epochs}", `${t < 0.5 ? a.epoch : b.epoch}`);
  // over the plot's left edge, as Plotly's title starts; where that leaves too little room for one line (a column
  // beside the loss chart), from the canvas's edge instead of taking two lines and pushing the square down
  context.font = TITLE_FONT;
  const titleLeft = context.measureText(title).width <= width - 78 ? 70 : 8;
  const top = Math.max(40, drawTitle(context, title, titleLeft, width - titleLeft - 8) + 16);
  const side = Math.min(width - 90, height - 30 - top);
  const box = { left: 70, top, side };
  view.scratch.width = plane.size;
  view.scratch.height = plane.size;
  view.scratch.getContext("2d").putImageData(image, 0, 0);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  context.drawImage(view.scratch, box.left, box.top, side, side);
  const [low, high] = plane.bounds;
  const toX = (x) => box.left + ((x - low) / (high - low)) * side;
  const toY = (y) => box.top + side - ((y - low) / (high - low)) * side;
  drawPoints(context, plane, box, toX, toY);
  context.strokeStyle = "#999999";
  context.lineWidth = 1;
  context.strokeRect(box.left, box.top, side, side);
  context.fillStyle = INK;
  context.font = FONT;
  context.textAlign = "center";
  context.fillText("x₁", box.left + side / 2, box.top + side + 40);
  for (const value of niceTicks(low, high, 5)) {
    context.fillText(formatTick(value), toX(value), box.top + side + 20);
  }
  context.textAlign = "right";
  for (const value of niceTicks(low, high, 5)) {
    context.fillText(formatTick(value), box.left - 8, toY(value) + 5);
  }
  context.save();
  context.translate(20, box.top + side / 2);
  context.rotate(-Math.PI / 2);
  context.textAlign = "center";
  context.fillText("x₂", 0, 0);
  context.restore();
  // a keyframe shown as it came, unblended, is the model's own predictions after that many epochs
  return state.shown === a.epoch ? { epoch: a.epoch, probabilities: blended } : null;
}

// ---- curves: loss (log scale) or shares, per epoch, revealed up to the epoch on screen

function niceTicks(low, high, count) {
  const span = high - low;
  const raw = span / count;
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const stepSize = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => span / s <= count) || 10 * magnitude;
  const ticks = [];
  for (let v = Math.ceil(low / stepSize) * stepSize; v <= high + 1e-9; v += stepSize) ticks.push(v);
  return ticks;
}

// Written as Plotly writes the same axis when the run ends: a true minus sign, not a hyphen
function formatTick(value) {
  if (Math.abs(value) < 1e-9) return "0";
  return Number(value.toPrecision(3)).toString().replace(".", DECIMAL).replace("-", "\u2212");
}

// Tick values on a log axis, densest first: every digit, then fewer per decade, down to powers of ten.
const LOG_MANTISSAS = [[1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 5], [1, 2, 5], [1, 3], [1]];

function logTicksOf(mantissas, low, high) {
  const ticks = [];
  for (let e = Math.floor(Math.log10(low)); e <= Math.ceil(Math.log10(high)); e++) {
    for (const m of mantissas) {
      const v = m * Math.pow(10, e);
      if (v >= low && v <= high) ticks.push(v);
    }
  }
  return ticks;
}

function logTicks(low, high, toY, minimumGap) {
  // the densest set whose labels stand minimumGap pixels apart (the digits between 0.6 and 1 crowd together on a
  // short or projector-sized axis first); at least two labels where any set gives two
  const sets = LOG_MANTISSAS.map((mantissas) => logTicksOf(mantissas, low, high)).filter((t) => t.length >= 2);
  const apart = (ticks) => ticks.every((v, i) => i === 0 || Math.abs(toY(ticks[i - 1]) - toY(v)) >= minimumGap);
  return sets.find(apart) || sets[sets.length - 1] || logTicksOf(LOG_MANTISSAS[0], low, high);
}

// Where a series' point i lies on the x axis: its own step when the series was measured now and then
// (series.steps), else epoch i + 1 (a value after every epoch).
function xOf(series, i) {
  return series.steps ? series.steps[i] : i + 1;
}

// How many of a series' points lie at or before x.
function pointsUpTo(series, x) {
  if (!series.steps) return Math.floor(x);
  let count = 0;
  while (count < series.steps.length && series.steps[count] <= x) count++;
  return count;
}

function visibleRange(curves, shown) {
  let low = Infinity;
  let high = -Infinity;
  for (const series of curves.series) {
    const upTo = series.previous ? series.values.length : pointsUpTo(series, Math.ceil(shown));
    for (let i = 0; i < Math.min(upTo, series.values.length); i++) {
      const v = series.values[i];
      if (v === null || !isFinite(v) || (curves.log && v <= 0)) continue;
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
  }
  if (!isFinite(low)) return curves.log ? [0.1, 1] : [0, 1];
  if (curves.log) return [low / 1.3, high * 1.3];
  if (curves.range) return curves.range;
  // a linear axis that always shows zero, with a little room above and below the lines
  const margin = 0.08 * Math.max(high - low, Math.abs(high), Math.abs(low), 1e-6);
  return [Math.min(low, 0) - margin, Math.max(high, 0) + margin];
}

function drawCurves(view, state) {
  useLook(state.data.look);
  const curves = state.data.curves;
  const { context, width, height } = view;
  const k = LINE_HEIGHT / 24; // margins grow with the text (projector mode)
  context.clearRect(0, 0, width, height);
  // a narrow canvas (three side by side) starts its title at the left edge, so that it takes fewer lines
  const titleLeft = width < 420 * k ? 8 : 80 * k;
  const titleBottom = drawTitle(context, curves.title, titleLeft, width - titleLeft - 8);
  const top = Math.max(44 * k, titleBottom + 20 * k);
  // panels that share one legend drawn beside them (curves.legend false) keep no room for one of their own
  const withLegend = curves.legend !== false;
  const box = { left: 80 * k, top, right: width - 20 - 50 * (k - 1), bottom: height - (withLegend ? 110 : 64) * k };
  const places = withLegend ? legendPlaces(context, curves.series, box, width) : [];
  if (withLegend) box.bottom -= (legendRows(places) - 1) * LINE_HEIGHT; // a legend of more rows pushes the plot up
  const target = visibleRange(curves, state.shown);
  // the axis glides to a narrower range instead of jumping, so the curves do not jerk; it widens at once,
  // so no line is ever cut off
  const eased = state.yRange ? state.yRange.map((v, i) => mix(v, target[i], 0.25)) : target;
  state.yRange = [Math.min(eased[0], target[0]), Math.max(eased[1], target[1])];
  state.settling = state.yRange.some((v, i) => Math.abs(v - target[i]) > 1e-4 * Math.abs(target[i] || 1));
  const [low, high] = state.yRange;
  const scale = curves.log ? (v) => Math.log10(v) : (v) => v;
  const toX = (epoch) => box.left + (epoch / state.data.total) * (box.right - box.left);
  const toY = (v) => box.bottom - ((scale(v) - scale(low)) / (scale(high) - scale(low))) * (box.bottom - box.top);
  context.font = FONT;
  context.lineWidth = 1;
  context.strokeStyle = GRID_LINE;
  context.fillStyle = INK;
  context.textAlign = "right";
  const yTicks = curves.log ? logTicks(low, high, toY, LINE_HEIGHT) : niceTicks(low, high, 5);
  for (const v of yTicks) {
    context.beginPath();
    context.moveTo(box.left, toY(v));
    context.lineTo(box.right, toY(v));
    context.stroke();
    context.fillText(curves.percent ? `${Math.round(v * 100)}%` : formatTick(v), box.left - 8, toY(v) + 5);
  }
  context.textAlign = "center";
  const xTickCount = Math.max(2, Math.min(6, Math.floor((box.right - box.left) / (60 * k))));
  for (const epoch of niceTicks(0, state.data.total, xTickCount)) context.fillText(formatTick(epoch), toX(epoch), box.bottom + 22 * k);
  context.fillText(curves.axis || EPOCH_AXIS, (box.left + box.right) / 2, box.bottom + 46 * k);
  context.save();
  context.beginPath();
  context.rect(box.left - 6, box.top - 6, box.right - box.left + 12, box.bottom - box.top + 12); // room for a dot
  context.clip();
  for (const series of curves.series) drawSeries(context, series, series.previous ? Infinity : state.shown, toX, toY, curves.log);
  context.restore();
  if (withLegend) drawLegend(context, curves.series, places, height - 40 * k);
}

function drawSeries(context, series, shown, toX, toY, log) {
  context.beginPath();
  context.strokeStyle = series.colour;
  context.lineWidth = series.width || 3;
  context.setLineDash(series.dash ? [8, 6] : []);
  const last = Math.min(series.values.length, pointsUpTo(series, shown));
  const usable = (v) => v !== null && isFinite(v) && (!log || v > 0);
  let segment = 0; // points in the line being drawn
  const lonePoints = []; // a value with no neighbour to join (the first held-out measurement) is drawn as a dot
  for (let i = 0; i < last; i++) {
    const v = series.values[i];
    if (!usable(v)) {
      segment = 0;
      continue;
    }
    const point = [toX(xOf(series, i)), toY(v)];
    if (segment) context.lineTo(...point);
    else context.moveTo(...point);
    segment += 1;
    const joinsNext = i + 1 < last && usable(series.values[i + 1]);
    if (segment === 1 && !joinsNext) lonePoints.push(point);
  }
  // the part of the line towards the next point already on screen, so the line grows smoothly (both ends are
  // real values the server sent: the next one is drawn in full once the epoch on screen reaches it)
  const next = series.values[last];
  if (segment && last < series.values.length && usable(next)) {
    const fromX = xOf(series, last - 1);
    const fraction = Math.min(Math.max((shown - fromX) / (xOf(series, last) - fromX), 0), 1);
    if (fraction > 0) {
      context.lineTo(toX(mix(fromX, xOf(series, last), fraction)), toY(mix(series.values[last - 1], next, fraction)));
      if (segment === 1) lonePoints.pop(); // it has a line after all
    }
  }
  context.stroke();
  context.setLineDash([]);
  context.fillStyle = series.colour;
  for (const [x, y] of lonePoints) {
    context.beginPath();
    context.arc(x, y, (series.width || 3) + 1, 0, 2 * Math.PI);
    context.fill();
  }
}

// Where each legend entry goes, in rows under the plot: [x, row, lines of its name] per series. In a narrow canvas
// (three side by side) the rows start at its left edge, and a name too long for the canvas (projector mode, Dutch)
// wraps onto more rows instead of running off the edge.
function legendPlaces(context, seriesList, box, width) {
  context.font = FONT;
  const names = seriesList.map((series) => series.name);
  const widest = Math.max(...names.map((name) => 34 + context.measureText(name).width));
  const left = box.left + widest > box.right ? 8 : box.left;
  const limit = Math.max(box.right, width - 8);
  let x = left;
  let row = 0;
  let nextRow = 0; // the first row below everything placed so far
  return names.map((name) => {
    const lines = wrapWords(context, name, limit - left - 34);
    const entryWidth = 34 + Math.max(...lines.map((line) => context.measureText(line).width));
    if (x > left && (x + entryWidth > limit || lines.length > 1 || nextRow > row + 1)) {
      x = left;
      row = nextRow;
    }
    const place = [x, row, lines];
    nextRow = Math.max(nextRow, row + lines.length);
    x += entryWidth + 24;
    return place;
  });
}

function legendRows(places) {
  return Math.max(...places.map(([, row, lines]) => row + lines.length));
}

function drawLegend(context, seriesList, places, bottom) {
  const rows = legendRows(places);
  context.font = FONT;
  context.textAlign = "left";
  seriesList.forEach((series, index) => {
    const [x, row, lines] = places[index];
    const y = bottom - (rows - 1 - row) * LINE_HEIGHT;
    context.strokeStyle = series.colour;
    context.lineWidth = series.width || 3;
    context.setLineDash(series.dash ? [8, 6] : []);
    context.beginPath();
    context.moveTo(x, y - 5);
    context.lineTo(x + 28, y - 5);
    context.stroke();
    context.setLineDash([]);
    context.fillStyle = INK;
    lines.forEach((line, k) => context.fillText(line, x + 34, y + k * LINE_HEIGHT));
  });
}

// ---- the component

function makeView(parentElement, kind, height) {
  // parentElement may be a shadow root, which has no size of its own: measure a box inside it
  const box = document.createElement("div");
  box.style.width = "100%";
  const canvas = document.createElement("canvas");
  canvas.className = `trainlab-live-${kind}`;
  canvas.style.display = "block";
  box.appendChild(canvas);
  parentElement.appendChild(box);
  const view = { canvas, context: canvas.getContext("2d"), scratch: document.createElement("canvas") };
  const resize = () => {
    const ratio = window.devicePixelRatio || 1;
    view.width = box.clientWidth || 600;
    view.height = height || CANVAS_HEIGHT[kind];
    canvas.width = view.width * ratio;
    canvas.height = view.height * ratio;
    canvas.style.width = `${view.width}px`;
    canvas.style.height = `${view.height}px`;
    view.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    view.dirty = true;
  };
  resize();
  view.observer = new ResizeObserver(resize);
  view.observer.observe(box);
  return view;
}

// About 30 pictures a second look smooth and leave the CPU to the rest of the page (and, in a classroom
// where every laptop may be the server's neighbour, to the other learners).
const FRAME_MS = 30;

function animate(view, record) {
  let before = performance.now();
  const frame = (now) => {
    if (now - before < FRAME_MS) {
      view.request = requestAnimationFrame(frame);
      return;
    }
    const state = view.state;
    const moved = state ? step(state, (now - before) / 1000) : false;
    before = now;
    if (state && state.keyframes.length && (moved || view.dirty || state.settling)) {
      const drawn = view.kind === "plane" ? drawPlane(view, state) : (drawCurves(view, state), null);
      {
        record.frames += 1;
        record.stamps.push(now);
        if (record.stamps.length > 2000) record.stamps.shift();
        record.epoch = state.shown;
        record.keyframeEpoch = state.keyframes[state.keyframes.length - 1].epoch;
        if (drawn) record.keyframe = { epoch: drawn.epoch, probabilities: Array.from(drawn.probabilities) };
      }
      view.dirty = false;
    }
    view.request = requestAnimationFrame(frame);
  };
  view.request = requestAnimationFrame(frame);
}

export default function (component) {
  const { data, parentElement } = component;
  const kind = data.kind;
  if (!parentElement.__trainlabView) {
    const view = makeView(parentElement, kind, data.height);
    view.kind = kind;
    parentElement.__trainlabView = view;
    window.trainlabLive = window.trainlabLive || {};
    // Kept when the view is mounted again in the same page (a busy server's longer tick re-declares the live
    // fragment): what was drawn so far stays on record.
    window.trainlabLive[data.name] = window.trainlabLive[data.name] || {
      frames: 0,
      stamps: [],
      epoch: 0,
      keyframeEpoch: 0,
      keyframe: null,
    };
    animate(view, window.trainlabLive[data.name]);
  }
  const view = parentElement.__trainlabView;
  if (!view.state || view.state.run !== data.run) view.state = newState(data);
  receive(view.state, data);
  view.dirty = true;
  return () => {
    cancelAnimationFrame(view.request);
    view.observer.disconnect();
    delete parentElement.__trainlabView;
  };
}

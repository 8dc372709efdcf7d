/* "Play with the network": the notes' network, forward and backward, in the browser.
 *
 * The reader moves x, W1, b1 (and, with the hidden layer, W2, b2), picks the target class
 * and the loss, and every number of the forward and the backward pass follows at once,
 * in the table and on the figure. The maths below is backprop_lib's, written out for two
 * classes; the browser tests (tests/book/test_explorable.py) compare every number on the page
 * with backprop_lib to 1e-9.
 *
 * Page contract, used by the tests: every input carries data-input="NAME" (x[0], W1[1][2],
 * b1[0], W2[i][j], b2[i], target, loss-kind, hidden-layer, ...), every displayed number
 * data-output="NAME" and its full-precision value in data-value.
 *
 * The example's values (x, y, W1, b1, W2, b2 and the labels) come from backprop_lib.example,
 * written into the page by _ext/explorable.py as window.BACKPROP_EXAMPLE.
 */
(function () {
  "use strict";

  const EXAMPLE = window.BACKPROP_EXAMPLE;
  const SVG = "http://www.w3.org/2000/svg";
  const MINUS = "\u2212";

  // ------------------------------------------------------------------ the maths

  const outer = (a, b) => a.map(ai => b.map(bj => ai * bj));
  const linear = (W, x, b) => W.map((row, i) => row.reduce((s, w, j) => s + w * x[j], 0) + b[i]);
  const transposeTimes = (W, v) => W[0].map((_, j) => W.reduce((s, row, i) => s + row[j] * v[i], 0));
  const dot = (a, b) => a.reduce((s, ai, i) => s + ai * b[i], 0);
  const sigmoid = t => 1 / (1 + Math.exp(-t));

  /** softmax(z) and log softmax(z), shifted by max z so that nothing overflows. */
  function softmax(z) {
    const m = Math.max(...z);
    const shifted = z.map(v => v - m);
    const e = shifted.map(Math.exp);
    const total = e.reduce((s, v) => s + v, 0);
    return {p: e.map(v => v / total), log: shifted.map(v => v - Math.log(total))};
  }

  /** The loss and its first steps back, for y_hat = softmax(z): L, dL/dy_hat, J, dL/dz. */
  function lossBackward(kind, y, z) {
    const {p: yHat, log: logYHat} = softmax(z);
    const J = yHat.map((si, i) => yHat.map((sj, j) => (i === j ? si : 0) - si * sj));
    let loss, dLdYHat, dLdZ;
    if (kind === "cross_entropy") {
      loss = -dot(y, logYHat);                                   // -sum_i y_i log y_hat_i
      dLdYHat = y.map((yi, i) => (yi === 0 ? 0 : -yi / yHat[i])); // -y / y_hat
      const total = y.reduce((s, v) => s + v, 0);
      dLdZ = yHat.map((p, i) => p * total - y[i]);                // J^T (-y / y_hat) = y_hat - y
    } else {
      const delta = y.map((yi, i) => yi - yHat[i]);               // y - y_hat
      loss = dot(delta, delta);                                   // sum_i (y_i - y_hat_i)^2
      dLdYHat = delta.map(d => -2 * d);                           // -2 (y - y_hat)
      const along = dot(yHat, dLdYHat);
      dLdZ = yHat.map((p, i) => p * (dLdYHat[i] - along));        // J^T dL/dy_hat
    }
    return {yHat, loss, dLdYHat, J, dLdZ};
  }

  /** Every number of the forward and the backward pass, named as on the page. */
  function compute(s) {
    const y = targetVector(s.target);
    const z1 = linear(s.W1, s.x, s.b1);
    const out = {z1};
    if (!s.hidden) {
      const r = lossBackward(s.loss, y, z1);
      Object.assign(out, {y_hat: r.yHat, loss: r.loss, dL_dy_hat: r.dLdYHat, J: r.J, dL_dz1: r.dLdZ});
    } else {
      const h = z1.map(sigmoid);
      const dh = h.map(a => a * (1 - a));                 // sigmoid'(z1) = h (1 - h)
      const z2 = linear(s.W2, h, s.b2);
      const r = lossBackward(s.loss, y, z2);
      const dLdH = transposeTimes(s.W2, r.dLdZ);          // W2^T delta2
      Object.assign(out, {h, dh_dz1: dh, z2, y_hat: r.yHat, loss: r.loss, dL_dy_hat: r.dLdYHat, J: r.J,
                          dL_dz2: r.dLdZ, dL_db2: r.dLdZ, dL_dW2: outer(r.dLdZ, h), dL_dh: dLdH,
                          dL_dz1: dh.map((d, i) => d * dLdH[i])});  // delta1 = sigmoid'(z1) * dL/dh
    }
    out.dL_db1 = out.dL_dz1;
    out.dL_dW1 = outer(out.dL_dz1, s.x);
    return out;
  }

  function targetVector(target) {
    return EXAMPLE.output_labels.map((_, i) => (i === target ? 1 : 0));
  }

  // ------------------------------------------------------------------ the state

  const clone = v => JSON.parse(JSON.stringify(v));

  function notesState() {
    return {x: clone(EXAMPLE.x), W1: clone(EXAMPLE.W1), b1: clone(EXAMPLE.b1), W2: clone(EXAMPLE.W2),
            b2: clone(EXAMPLE.b2), target: EXAMPLE.y.indexOf(Math.max(...EXAMPLE.y)), loss: "squared_error",
            hidden: false, lr: 0.5, nudge: "W1[0][0]", delta: 0.01};
  }

  /** "W1[1][2]" -> ["W1", 1, 2] */
  function parseName(name) {
    const m = name.match(/^(\w+?)((?:\[\d+\])+)$/);
    return [m[1], ...[...m[2].matchAll(/\d+/g)].map(Number)];
  }

  function getParam(s, name) {
    const [key, ...idx] = parseName(name);
    return idx.reduce((v, i) => v[i], s[key]);
  }

  function setParam(s, name, value) {
    const [key, ...idx] = parseName(name);
    const last = idx.pop();
    idx.reduce((v, i) => v[i], s[key])[last] = value;
  }

  /** Names of the trainable parameters' entries in this mode: W1[0][0], ..., b1[1], (W2, b2). */
  function parameterNames(s) {
    const names = [];
    const layers = s.hidden ? ["1", "2"] : ["1"];
    for (const l of layers) {
      s["W" + l].forEach((row, i) => row.forEach((_, j) => names.push(`W${l}[${i}][${j}]`)));
      s["b" + l].forEach((_, i) => names.push(`b${l}[${i}]`));
    }
    return names;
  }

  function gradientOf(results, name) {
    const [key, ...idx] = parseName(name);
    return idx.reduce((v, i) => v[i], results["dL_d" + key]);
  }

  // ------------------------------------------------------------------ formatting

  function fmt(v, digits) {
    if (Number.isNaN(v)) return "NaN";
    if (!Number.isFinite(v)) return (v < 0 ? MINUS : "") + "\u221e";
    const text = v.toFixed(digits);
    // -0.0000 reads as a sign the value does not have
    return /^-0\.0*$/.test(text) ? text.slice(1) : text.replace("-", MINUS);
  }

  // ------------------------------------------------------------------ building the page

  function h(tag, attrs, ...children) {
    const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === "text") node.textContent = v;
      else if (k === "html") node.innerHTML = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined && c !== false) node.append(c);
    }
    return node;
  }

  // symbols in the notes' notation, as HTML (component superscripts, layer subscripts)
  const SYMBOL = {
    x: "<var>x</var>", y: "<var>y</var>", W1: "<var>W</var><sub>1</sub>", b1: "<var>b</var><sub>1</sub>",
    W2: "<var>W</var><sub>2</sub>", b2: "<var>b</var><sub>2</sub>", z1: "<var>z</var><sub>1</sub>",
    z2: "<var>z</var><sub>2</sub>", h: "<var>h</var>", y_hat: "<var>\u0177</var>", L: "<var>L</var>",
  };
  const d = what => `\u2202<var>L</var>/\u2202${what}`;

  // plain-text names for screen readers and the status line
  const SPOKEN = {x: "x", W1: "W1", b1: "b1", W2: "W2", b2: "b2"};

  const RANGES = {x: [-2, 2], W1: [-3, 3], b1: [-3, 3], W2: [-3, 3], b2: [-3, 3]};
  let uid = 0;

  /** A slider with a number field for one entry of a parameter; both carry data-input. */
  function numberControl(name, labelHtml, spoken, value, [min, max], step, onValue) {
    const id = `explorable-${++uid}`;
    const number = h("input", {type: "number", id, step: "any", value: String(value), "data-input": name,
                                class: "explorable-number", inputmode: "decimal"});
    const slider = h("input", {type: "range", min, max, step, value: String(value), "data-input": name,
                                class: "explorable-slider", "aria-label": `${spoken}, slider`});
    number.addEventListener("input", () => {
      const v = parseFloat(number.value);
      if (Number.isFinite(v)) {
        slider.value = String(v);
        onValue(v);
      }
    });
    slider.addEventListener("input", () => {
      number.value = slider.value;
      onValue(parseFloat(slider.value));
    });
    const wrapper = h("div", {class: "explorable-control"},
      h("label", {for: id, html: labelHtml}), number, slider);
    wrapper.setValue = v => {
      number.value = String(v);
      slider.value = String(v);
    };
    return wrapper;
  }

  function build(root) {
    const state = notesState();
    const controls = {};          // parameter name -> control wrapper
    let walk = null;              // the step-through: index into walkSteps(), or null

    const onParam = name => v => {
      setParam(state, name, v);
      update();
    };

    function parameterFieldset(key, legendHtml, describe) {
      const value = state[key];
      const grid = h("div", {class: "explorable-grid"});
      const vector = !Array.isArray(value[0]);
      (vector ? [value] : value).forEach((row, i) => row.forEach((v, j) => {
        const name = vector ? `${key}[${j}]` : `${key}[${i}][${j}]`;
        const [labelHtml, spoken] = describe(vector ? j : i, j);
        controls[name] = numberControl(name, labelHtml, spoken, v, RANGES[key], 0.01, onParam(name));
        grid.append(controls[name]);
      }));
      return h("fieldset", {class: `explorable-fieldset explorable-${key}`}, h("legend", {html: legendHtml}), grid);
    }

    const inputLabels = EXAMPLE.input_labels;
    const outputLabels = EXAMPLE.output_labels;
    const sup = n => `<sup>${n}</sup>`;

    const xSet = parameterFieldset("x", `Input ${SYMBOL.x}`,
      j => [`${SYMBOL.x}${sup(j + 1)} (${inputLabels[j]})`, `x ${j + 1}, ${inputLabels[j]}`]);
    const w1Set = parameterFieldset("W1", `Weights ${SYMBOL.W1} (row: logit, column: input)`,
      (i, j) => [`${SYMBOL.W1}${sup(`${i + 1}${j + 1}`)}`, `W1 row ${i + 1}, column ${j + 1}`]);
    const b1Set = parameterFieldset("b1", `Bias ${SYMBOL.b1}`,
      i => [`${SYMBOL.b1}${sup(i + 1)}`, `b1 ${i + 1}`]);
    const w2Set = parameterFieldset("W2", `Weights ${SYMBOL.W2} of the second layer`,
      (i, j) => [`${SYMBOL.W2}${sup(`${i + 1}${j + 1}`)}`, `W2 row ${i + 1}, column ${j + 1}`]);
    const b2Set = parameterFieldset("b2", `Bias ${SYMBOL.b2} of the second layer`,
      i => [`${SYMBOL.b2}${sup(i + 1)}`, `b2 ${i + 1}`]);

    const target = h("select", {id: `explorable-${++uid}`, "data-input": "target"},
      outputLabels.map((label, i) => h("option", {value: String(i),
        text: `${label}: y = (${targetVector(i).join(", ")})`})));
    target.addEventListener("change", () => { state.target = Number(target.value); update(); });
    const lossKind = h("select", {id: `explorable-${++uid}`, "data-input": "loss-kind"},
      h("option", {value: "squared_error", text: "squared error, \u03a3 (y \u2212 \u0177)\u00b2 (the notes)"}),
      h("option", {value: "cross_entropy", text: "cross-entropy, \u2212\u03a3 y log \u0177"}));
    lossKind.addEventListener("change", () => { state.loss = lossKind.value; update(); });
    const hidden = h("input", {type: "checkbox", id: `explorable-${++uid}`, "data-input": "hidden-layer"});
    hidden.addEventListener("change", () => { state.hidden = hidden.checked; rebuild(); });
    const reset = h("button", {type: "button", class: "explorable-button", "data-action": "reset",
                               text: "Reset to the notes\u2019 values"});
    reset.addEventListener("click", () => {
      const keep = state.hidden;
      Object.assign(state, notesState(), {hidden: keep});
      syncControls();
      rebuild();
      announce("Every value is back to the notes\u2019 example.");
    });

    const choices = h("fieldset", {class: "explorable-fieldset explorable-choices"},
      h("legend", {text: "Target, loss and network"}),
      h("div", {class: "explorable-choice"}, h("label", {for: target.id, text: "Target class"}), target),
      h("div", {class: "explorable-choice"}, h("label", {for: lossKind.id, text: "Loss"}), lossKind),
      h("div", {class: "explorable-choice explorable-check"}, hidden,
        h("label", {for: hidden.id, html: `Add a hidden layer: ${SYMBOL.h} = \u03c3(${SYMBOL.z1}), ` +
                                           `${SYMBOL.z2} = ${SYMBOL.W2}${SYMBOL.h} + ${SYMBOL.b2}`})),
      reset);

    // ---- the figure
    const figure = h("div", {class: "explorable-figure-scroll", tabindex: "0", role: "region",
                             "aria-label": "The network figure (scrolls sideways on a narrow screen)"});
    const caption = h("p", {class: "explorable-caption", id: `explorable-${++uid}`,
      html: "The network with the current numbers: each node shows its value; the numbers on the " +
            "edges, in the gradient colour and marked \u2202, are the gradients of the loss " +
            `(${d(SYMBOL.W1)} on the weights\u2019 edges, ${d(SYMBOL.b1)} on the biases\u2019, and the ` +
            "gradient of each node on the edge that leaves it). An edge\u2019s colour is its weight\u2019s " +
            "sign (blue +, orange \u2212), its thickness the weight\u2019s size. The table below holds the " +
            "same numbers."});

    // ---- the table
    const rows = tableRows();
    const tbody = h("tbody");
    const table = h("table", {class: "explorable-table"},
      h("caption", {text: "Every number of the forward and the backward pass"}),
      h("thead", {}, h("tr", {}, h("th", {scope: "col", text: "Quantity"}),
        h("th", {scope: "col", text: "Computed as"}), h("th", {scope: "col", text: "Value"}))),
      tbody);
    const tableScroll = h("div", {class: "explorable-table-scroll", tabindex: "0", role: "region",
                                  "aria-label": "Table of the forward and backward pass"}, table);

    // ---- one step of gradient descent
    const lr = numberControl("learning-rate", "Learning rate <var>\u03b7</var>", "learning rate",
                             state.lr, [0, 2], 0.01, v => { state.lr = v; });
    const stepButton = h("button", {type: "button", class: "explorable-button", "data-action": "step",
                                    text: "One step of gradient descent"});
    const stepOut = h("p", {class: "explorable-note", "data-result": "step"});
    stepButton.addEventListener("click", () => {
      const before = compute(state);
      const names = parameterNames(state);
      const steps = names.map(n => [n, getParam(state, n) - state.lr * gradientOf(before, n)]);
      steps.forEach(([n, v]) => { setParam(state, n, v); controls[n].setValue(v); });
      const after = compute(state);
      stepOut.replaceChildren(
        "Every weight and bias moved against its gradient, ", h("var", {text: "\u03b8"}), " \u2190 ",
        h("var", {text: "\u03b8"}), " \u2212 \u03b7 \u2202L/\u2202", h("var", {text: "\u03b8"}),
        ": the loss went from ", outputSpan("step-loss-before", before.loss),
        " to ", outputSpan("step-loss-after", after.loss), ".");
      update();
      announce(`One step taken: the loss went from ${fmt(before.loss, 4)} to ${fmt(after.loss, 4)}.`);
    });
    const descent = h("section", {class: "explorable-panel", "aria-labelledby": `explorable-${++uid}`},
      h("h3", {id: `explorable-${uid}`, text: "One step of gradient descent"}),
      h("div", {class: "explorable-row"}, lr, stepButton), stepOut);

    // ---- the nudge
    const nudgeParam = h("select", {id: `explorable-${++uid}`, "data-input": "nudge-param"});
    nudgeParam.addEventListener("change", () => { state.nudge = nudgeParam.value; update(); });
    const delta = numberControl("nudge-delta", "Change <var>\u03b4</var>", "change delta", state.delta,
                                [-0.5, 0.5], 0.01, v => { state.delta = v; update(); });
    const nudgeOut = h("p", {class: "explorable-note", "data-result": "nudge"});
    const nudgeApply = h("button", {type: "button", class: "explorable-button", "data-action": "nudge",
                                    text: "Make this change"});
    nudgeApply.addEventListener("click", () => {
      const v = getParam(state, state.nudge) + state.delta;
      setParam(state, state.nudge, v);
      controls[state.nudge].setValue(v);
      update();
      announce(`${spokenParam(state.nudge)} is now ${fmt(v, 4)}; the loss is ${fmt(compute(state).loss, 4)}.`);
    });
    const nudge = h("section", {class: "explorable-panel", "aria-labelledby": `explorable-${++uid}`},
      h("h3", {id: `explorable-${uid}`, text: "Nudge one weight"}),
      h("p", {html: "Change one weight or bias by a small \u03b4. The gradient predicts the new loss: " +
                    `<var>L</var> + (\u2202<var>L</var>/\u2202<var>\u03b8</var>) \u03b4. The smaller \u03b4, ` +
                    "the closer the prediction."}),
      h("div", {class: "explorable-row"},
        h("div", {class: "explorable-choice"}, h("label", {for: nudgeParam.id, text: "Weight or bias"}), nudgeParam),
        delta, nudgeApply),
      nudgeOut);

    // ---- the step-through
    const walkText = h("p", {class: "explorable-walk-text", "data-result": "walk"});
    const walkStart = h("button", {type: "button", class: "explorable-button", "data-action": "walk-start",
                                   text: "Walk through the backward pass"});
    const walkPrev = h("button", {type: "button", class: "explorable-button", "data-action": "walk-prev",
                                  text: "Previous step", disabled: true});
    const walkNext = h("button", {type: "button", class: "explorable-button", "data-action": "walk-next",
                                  text: "Next step", disabled: true});
    const walkStop = h("button", {type: "button", class: "explorable-button", "data-action": "walk-stop",
                                  text: "Stop", disabled: true});
    walkStart.addEventListener("click", () => { walk = 0; update(); walkNext.focus(); speakWalk(); });
    walkNext.addEventListener("click", () => {
      if (walk < walkSteps().length - 1) walk += 1;
      update(); speakWalk();
    });
    walkPrev.addEventListener("click", () => { if (walk > 0) walk -= 1; update(); speakWalk(); });
    walkStop.addEventListener("click", () => { walk = null; update(); walkStart.focus(); });
    const walkPanel = h("section", {class: "explorable-panel", "aria-labelledby": `explorable-${++uid}`},
      h("h3", {id: `explorable-${uid}`, text: "The backward pass, step by step"}),
      h("p", {text: "The chain rule runs from the loss back to the weights. Each step uses the one before " +
                    "it; the figure and the table mark the number each step computes."}),
      h("div", {class: "explorable-row"}, walkStart, walkPrev, walkNext, walkStop), walkText);

    const status = h("p", {class: "explorable-status visually-hidden", role: "status"});

    root.replaceChildren(
      h("div", {class: "explorable-controls"}, xSet, b1Set, choices, w1Set, w2Set, b2Set),
      h("figure", {class: "explorable-figure", "aria-labelledby": caption.id}, figure, caption),
      walkPanel, tableScroll, nudge, descent, status);

    // ---------------------------------------------------------------- updating

    function outputSpan(name, value, digits = 4) {
      return h("span", {class: "explorable-value", "data-output": name, "data-value": String(value),
                        text: fmt(value, digits)});
    }

    function spokenParam(name) {
      const [key, ...idx] = parseName(name);
      return idx.length === 2 ? `${SPOKEN[key]} row ${idx[0] + 1}, column ${idx[1] + 1}`
                              : `${SPOKEN[key]} ${idx[0] + 1}`;
    }

    function htmlParam(name) {
      const [key, ...idx] = parseName(name);
      return `${SYMBOL[key]}${sup(idx.map(i => i + 1).join(""))}`;
    }

    let announceTimer = null;
    function announce(message) {
      clearTimeout(announceTimer);
      status.textContent = message;
    }
    function announceLossSoon(loss) {
      // polite and quiet: one message after the reader stops moving a slider
      clearTimeout(announceTimer);
      announceTimer = setTimeout(() => { status.textContent = `Loss ${fmt(loss, 4)}`; }, 1200);
    }

    /** A vector or matrix as spans, each number with its name for screen readers. */
    function valueCell(name, value, spoken) {
      const cell = h("td", {class: "explorable-values"});
      const matrix = Array.isArray(value[0]);
      if (!Array.isArray(value)) {
        cell.append(outputSpan(name, value));
        return cell;
      }
      (matrix ? value : [value]).forEach((row, i) => {
        const line = h("span", {class: "explorable-vector"});
        row.forEach((v, j) => {
          const key = matrix ? `${name}[${i}][${j}]` : `${name}[${j}]`;
          const where = matrix ? `row ${i + 1}, column ${j + 1}` : `component ${j + 1}`;
          line.append(h("span", {class: "visually-hidden", text: `${spoken}, ${where}: `}), outputSpan(key, v));
          if (j < row.length - 1) line.append(h("span", {"aria-hidden": "true", text: ", "}));
        });
        cell.append(line);
      });
      return cell;
    }

    function tableRows() {
      // name, symbol (HTML), spoken name, equation (HTML) by mode and loss, shown in which mode
      const ce = () => state.loss === "cross_entropy";
      const out = () => (state.hidden ? SYMBOL.z2 : SYMBOL.z1);
      return [
        ["z1", SYMBOL.z1, "z1", () => `${SYMBOL.W1}${SYMBOL.x} + ${SYMBOL.b1}`, "both"],
        ["h", SYMBOL.h, "h", () => `\u03c3(${SYMBOL.z1}) = 1 / (1 + <var>e</var><sup>\u2212${SYMBOL.z1}</sup>)`, "hidden"],
        ["dh_dz1", `\u03c3\u2032(${SYMBOL.z1})`, "sigma prime of z1", () => `${SYMBOL.h} \u2299 (1 \u2212 ${SYMBOL.h})`, "hidden"],
        ["z2", SYMBOL.z2, "z2", () => `${SYMBOL.W2}${SYMBOL.h} + ${SYMBOL.b2}`, "hidden"],
        ["y_hat", SYMBOL.y_hat, "y hat", () => `softmax(${out()})` + (state.hidden ? "" : ` (the notes: ${SYMBOL.z2} = ${SYMBOL.y_hat})`), "both"],
        ["loss", SYMBOL.L, "loss", () => (ce() ? `\u2212\u03a3<sub><var>i</var></sub> ${SYMBOL.y}<sup><var>i</var></sup> log ${SYMBOL.y_hat}<sup><var>i</var></sup>`
                                                : `\u03a3<sub><var>i</var></sub> (${SYMBOL.y}<sup><var>i</var></sup> \u2212 ${SYMBOL.y_hat}<sup><var>i</var></sup>)<sup>2</sup>`), "both"],
        ["dL_dy_hat", d(SYMBOL.y_hat), "dL by d y hat", () => (ce() ? `\u2212${SYMBOL.y} / ${SYMBOL.y_hat}` : `\u22122(${SYMBOL.y} \u2212 ${SYMBOL.y_hat})`), "both"],
        ["J", `<var>J</var> = \u2202${SYMBOL.y_hat}/\u2202${state.hidden ? SYMBOL.z2 : SYMBOL.z1}`, "J",
         () => `diag(${SYMBOL.y_hat}) \u2212 ${SYMBOL.y_hat}${SYMBOL.y_hat}<sup><var>T</var></sup>`, "both"],
        ["dL_dz2", `${d(SYMBOL.z2)} = <var>\u03b4</var><sub>2</sub>`, "dL by d z2",
         () => (ce() ? `${SYMBOL.y_hat} \u2212 ${SYMBOL.y} (= <var>J</var><sup><var>T</var></sup> ${d(SYMBOL.y_hat)})`
                     : `<var>J</var><sup><var>T</var></sup> ${d(SYMBOL.y_hat)}`), "hidden"],
        ["dL_db2", d(SYMBOL.b2), "dL by d b2", () => `<var>\u03b4</var><sub>2</sub>`, "hidden"],
        ["dL_dW2", d(SYMBOL.W2), "dL by d W2", () => `<var>\u03b4</var><sub>2</sub> ${SYMBOL.h}<sup><var>T</var></sup>`, "hidden"],
        ["dL_dh", d(SYMBOL.h), "dL by d h", () => `${SYMBOL.W2}<sup><var>T</var></sup> <var>\u03b4</var><sub>2</sub>`, "hidden"],
        ["dL_dz1", d(SYMBOL.z1), "dL by d z1",
         () => (state.hidden ? `<var>\u03b4</var><sub>1</sub> = \u03c3\u2032(${SYMBOL.z1}) \u2299 ${d(SYMBOL.h)}`
                             : (ce() ? `${SYMBOL.y_hat} \u2212 ${SYMBOL.y} (= <var>J</var><sup><var>T</var></sup> ${d(SYMBOL.y_hat)})`
                                     : `<var>J</var><sup><var>T</var></sup> ${d(SYMBOL.y_hat)}`)), "both"],
        ["dL_db1", d(SYMBOL.b1), "dL by d b1", () => d(SYMBOL.z1), "both"],
        ["dL_dW1", d(SYMBOL.W1), "dL by d W1", () => `${d(SYMBOL.z1)} ${SYMBOL.x}<sup><var>T</var></sup>`, "both"],
      ];
    }

    /** The backward pass in the order of the chain: [row name, what the step says]. */
    function walkSteps() {
      const ce = state.loss === "cross_entropy";
      const steps = [
        ["loss", "Start at the loss: \u2202L/\u2202L = 1."],
        ["dL_dy_hat", ce ? "The loss\u2019s own derivative: \u2202L/\u2202\u0177 = \u2212y / \u0177."
                         : "The loss\u2019s own derivative: \u2202L/\u2202\u0177 = \u22122(y \u2212 \u0177)."],
        ["J", `The softmax\u2019s local derivative, its Jacobian J = diag(\u0177) \u2212 \u0177\u0177\u1d40, at ${state.hidden ? "z\u2082" : "z\u2081"}.`],
      ];
      const throughSoftmax = ce ? "J\u1d40 \u2202L/\u2202\u0177, which simplifies to \u0177 \u2212 y"
                                : "J\u1d40 \u2202L/\u2202\u0177";
      if (state.hidden) {
        steps.push(
          ["dL_dz2", `Back through the softmax: \u03b4\u2082 = \u2202L/\u2202z\u2082 = ${throughSoftmax}.`],
          ["dL_db2", "The second bias: \u2202L/\u2202b\u2082 = \u03b4\u2082, since \u2202z\u2082/\u2202b\u2082 is the identity."],
          ["dL_dW2", "The second weights: \u2202L/\u2202W\u2082 = \u03b4\u2082 h\u1d40, an outer product shaped like W\u2082."],
          ["dL_dh", "Back to the hidden layer: \u2202L/\u2202h = W\u2082\u1d40 \u03b4\u2082."],
          ["dL_dz1", "Through the sigmoid: \u03b4\u2081 = \u2202L/\u2202z\u2081 = \u03c3\u2032(z\u2081) \u2299 \u2202L/\u2202h, with \u03c3\u2032(z\u2081) = h(1 \u2212 h)."]);
      } else {
        steps.push(["dL_dz1", `Back through the softmax: \u2202L/\u2202z\u2081 = ${throughSoftmax}.`]);
      }
      steps.push(
        ["dL_db1", "The bias: \u2202L/\u2202b\u2081 = \u2202L/\u2202z\u2081, since \u2202z\u2081/\u2202b\u2081 is the identity."],
        ["dL_dW1", "The weights: \u2202L/\u2202W\u2081 = (\u2202L/\u2202z\u2081) x\u1d40, an outer product shaped like W\u2081."]);
      return steps;
    }

    function spokenValue(v) {
      if (!Array.isArray(v)) return fmt(v, 4);
      if (Array.isArray(v[0])) return v.map(row => `row (${row.map(x => fmt(x, 4)).join(", ")})`).join(", ");
      return `(${v.map(x => fmt(x, 4)).join(", ")})`;
    }

    function speakWalk() {
      if (walk === null) return;
      const steps = walkSteps();
      const [name, text] = steps[walk];
      announce(`Step ${walk + 1} of ${steps.length}: ${text} Value: ${spokenValue(compute(state)[name])}.`);
    }

    function fillTable(results) {
      tbody.replaceChildren(...rows.filter(r => r[4] === "both" || state.hidden).map(
        ([name, symbol, spoken, equation]) => h("tr", {"data-node": name},
          h("th", {scope: "row", html: name === "J" ? `<var>J</var> = \u2202${SYMBOL.y_hat}/\u2202${state.hidden ? SYMBOL.z2 : SYMBOL.z1}` : symbol}),
          h("td", {html: equation()}),
          valueCell(name, results[name], spoken))));
    }

    function fillNudge(results) {
      const names = parameterNames(state);
      if (!names.includes(state.nudge)) state.nudge = names[0];
      if (nudgeParam.options.length !== names.length) {
        nudgeParam.replaceChildren(...names.map(n => h("option", {value: n, text: spokenParam(n)})));
      }
      nudgeParam.value = state.nudge;
      const g = gradientOf(results, state.nudge);
      const moved = clone(state);
      setParam(moved, state.nudge, getParam(state, state.nudge) + state.delta);
      const after = compute(moved).loss;
      const predicted = results.loss + g * state.delta;
      nudgeOut.replaceChildren(
        h("span", {html: `${d(htmlParam(state.nudge))} = `}), outputSpan("nudge-gradient", g), ". ",
        h("span", {html: "New loss, computed: "}), outputSpan("nudge-loss", after, 6), "; ",
        h("span", {html: `predicted, <var>L</var> + ${d(htmlParam(state.nudge))} \u00b7 \u03b4: `}),
        outputSpan("nudge-predicted", predicted, 6), "; the prediction is off by ",
        outputSpan("nudge-error", after - predicted, 6), ".");
    }

    function fillWalk(results) {
      const steps = walkSteps();
      if (walk !== null && walk >= steps.length) walk = steps.length - 1;
      walkPrev.disabled = walk === null || walk === 0;
      walkNext.disabled = walk === null || walk === steps.length - 1;
      walkStop.disabled = walk === null;
      root.querySelectorAll(".is-current").forEach(e => e.classList.remove("is-current"));
      if (walk === null) {
        walkText.replaceChildren();
        delete walkText.dataset.step;
        return;
      }
      const [name, text] = steps[walk];
      walkText.dataset.step = name;
      walkText.replaceChildren(h("strong", {text: `Step ${walk + 1} of ${steps.length}. `}), text,
                               " Value: ", spokenValue(results[name]), ".");
      root.querySelectorAll(`[data-node="${name}"]`).forEach(e => e.classList.add("is-current"));
    }

    function update() {
      const results = compute(state);
      fillTable(results);
      drawFigure(figure, state, results);
      fillNudge(results);
      fillWalk(results);
      announceLossSoon(results.loss);
    }

    function syncControls() {
      for (const [name, control] of Object.entries(controls)) control.setValue(getParam(state, name));
      target.value = String(state.target);
      lossKind.value = state.loss;
      hidden.checked = state.hidden;
      lr.setValue(state.lr);
      delta.setValue(state.delta);
    }

    function rebuild() {
      w2Set.hidden = b2Set.hidden = !state.hidden;
      root.classList.toggle("explorable-is-hidden-layer", state.hidden);
      if (walk !== null) walk = 0;
      nudgeParam.replaceChildren();
      update();
    }

    syncControls();
    rebuild();
  }

  // ------------------------------------------------------------------ the figure

  function drawFigure(container, s, r) {
    const hiddenLayer = s.hidden;
    const width = hiddenLayer ? 1060 : 760;
    const height = 340;
    const R = 33;                                     // a node's radius
    const col = hiddenLayer ? {x: 60, z1: 240, h: 390, z2: 600, soft: 720, y: 840, L: 990}
                            : {x: 70, z1: 330, soft: 470, y: 580, L: 695};
    const xs = [70, 170, 270];                        // rows of the inputs
    const zs = [110, 230];                            // rows of every later layer
    const svg = h("svg:svg", {viewBox: `0 0 ${width} ${height}`, class: "explorable-svg", role: "img",
                              "aria-label": "Diagram of the network with its current values and gradients; " +
                                            "the table lists the same numbers.",
                              style: `min-width: ${hiddenLayer ? 680 : 520}px; max-width: ${width}px`});
    const edges = h("svg:g", {class: "edges"});
    const nodes = h("svg:g", {class: "nodes"});
    const labels = h("svg:g", {class: "labels"});
    svg.append(edges, nodes, labels);

    const along = (x1, y1, x2, y2, f) => [x1 + (x2 - x1) * f, y1 + (y2 - y1) * f];
    const number = (name, v, x, y, cls, anchor = "middle") => h("svg:text", {x, y, class: cls,
      "text-anchor": anchor, "data-output": name, "data-value": String(v)}, fmt(v, 4));
    // a symbol with an optional layer subscript and component superscript
    function symbol(t, base, sub, sup, extra) {
      t.append(base);
      if (sub) t.append(h("svg:tspan", {class: "sub", dy: "4"}, sub), h("svg:tspan", {dy: "-4"}, "\u200b"));
      if (sup) t.append(h("svg:tspan", {class: "sup", dy: "-7"}, sup), h("svg:tspan", {dy: "7"}, "\u200b"));
      if (extra) t.append(" " + extra);
      return t;
    }
    function edge(x1, y1, x2, y2, weight, node) {
      const sign = weight === undefined ? "" : weight >= 0 ? " edge-plus" : " edge-minus";
      const strokeWidth = weight === undefined ? 1.5 : 1 + 2.5 * Math.min(Math.abs(weight), 2);
      edges.append(h("svg:line", {x1, y1, x2, y2, class: "edge" + sign, "stroke-width": strokeWidth.toFixed(2),
                                  "data-node": node}));
    }
    function grad(name, v, x, y, node, anchor = "middle") {
      const t = h("svg:text", {x, y, class: "grad", "text-anchor": anchor, "data-node": node,
                               "data-output": name, "data-value": String(v)});
      t.append("\u2202 " + fmt(v, 4));
      labels.append(t);
    }
    function node(cx, cy, title, name, v, nodeName) {
      const group = h("svg:g", {class: "node", "data-node": nodeName},
        h("svg:circle", {cx, cy, r: R}), title, number(name, v, cx, cy + 5, "node-value"));
      nodes.append(group);
    }
    const titleAbove = (cx, cy, anchor = "middle", dx = 0) =>
      h("svg:text", {x: cx + dx, y: cy - R - 8, class: "node-title", "text-anchor": anchor});

    /** A layer: from the column `from` (rows `fromRows`) into the column `to`, weights W and bias b. */
    function layer(l, W, b, dW, db, from, fromRows, to) {
      // weights' edges; each carries its gradient near its start, where the edges fan out
      zs.forEach((yz, i) => fromRows.forEach((yf, j) => {
        edge(from + R, yf, to - R, yz, W[i][j], `dL_dW${l}`);
        const [lx, ly] = along(from + R, yf, to - R, yz, 0.3);
        grad(`dL_dW${l}[${i}][${j}]`, dW[i][j], lx, ly + 4, `dL_dW${l}`);
      }));
      // the bias comes in from above (first unit) or below (second)
      zs.forEach((yz, i) => {
        const by = i === 0 ? 26 : height - 12;
        edge(to, i === 0 ? by + 8 : by - 16, to, i === 0 ? yz - R : yz + R, b[i], `dL_db${l}`);
        const name = symbol(h("svg:text", {x: to - 8, y: by, class: "node-title", "text-anchor": "end"}),
                            "b", String(l), String(i + 1));
        nodes.append(name, number(`b${l}[${i}]`, b[i], to + 8, by, "bias-value", "start"));
        grad(`dL_db${l}[${i}]`, db[i], to + 8, (i === 0 ? by + yz - R : by + yz + R) / 2 + 4, `dL_db${l}`, "start");
      });
    }

    xs.forEach((yx, j) => node(col.x, yx, symbol(titleAbove(col.x, yx), "x", null, String(j + 1),
                                                 EXAMPLE.input_labels[j]), `x[${j}]`, s.x[j], null));
    layer(1, s.W1, s.b1, r.dL_dW1, r.dL_db1, col.x, xs, col.z1);
    zs.forEach((yz, i) => node(col.z1, yz, symbol(titleAbove(col.z1, yz, "end", -8), "z", "1", String(i + 1)),
                               `z1[${i}]`, r.z1[i], "z1"));
    let last = col.z1;                                // the column that feeds the softmax
    let delta = "dL_dz1";                             // and its gradient
    if (hiddenLayer) {
      zs.forEach((yz, i) => {
        edge(col.z1 + R, yz, col.h - R, yz, undefined, "dL_dz1");
        grad(`dL_dz1[${i}]`, r.dL_dz1[i], (col.z1 + col.h) / 2, yz - 8, "dL_dz1");
        node(col.h, yz, symbol(titleAbove(col.h, yz), "h", null, String(i + 1), "= \u03c3(z\u2081)"),
             `h[${i}]`, r.h[i], "h");
        // h feeds two edges: its gradient sits under it
        grad(`dL_dh[${i}]`, r.dL_dh[i], col.h, yz + R + 18, "dL_dh");
      });
      layer(2, s.W2, s.b2, r.dL_dW2, r.dL_db2, col.h, zs, col.z2);
      zs.forEach((yz, k) => node(col.z2, yz, symbol(titleAbove(col.z2, yz, "end", -8), "z", "2", String(k + 1)),
                                 `z2[${k}]`, r.z2[k], "z2"));
      last = col.z2;
      delta = "dL_dz2";
    }
    // softmax, the prediction and the loss
    const top = zs[0] - 45;
    const bottom = zs[1] + 45;
    nodes.append(h("svg:g", {class: "node softmax", "data-node": "J"},
      h("svg:rect", {x: col.soft - 24, y: top, width: 48, height: bottom - top, rx: 6}),
      h("svg:text", {x: col.soft, y: (top + bottom) / 2 + 5, class: "node-title", "text-anchor": "middle",
                     transform: `rotate(-90 ${col.soft} ${(top + bottom) / 2 + 5})`}, "softmax")));
    const L = {x: col.L, y: (zs[0] + zs[1]) / 2};
    zs.forEach((yz, i) => {
      edge(last + R, yz, col.soft - 24, yz, undefined, delta);
      grad(`${delta}[${i}]`, r[delta][i], (last + R + col.soft - 24) / 2, yz - 8, delta);
      edge(col.soft + 24, yz, col.y - R, yz, undefined, "y_hat");
      node(col.y, yz, symbol(titleAbove(col.y, yz), "\u0177", null, String(i + 1), EXAMPLE.output_labels[i]),
           `y_hat[${i}]`, r.y_hat[i], "y_hat");
      edge(col.y + R, yz, L.x - 48, L.y, undefined, "dL_dy_hat");
      const [lx, ly] = along(col.y + R, yz, L.x - 48, L.y, 0.12);
      grad(`dL_dy_hat[${i}]`, r.dL_dy_hat[i], lx, ly + (i === 0 ? -10 : 22), "dL_dy_hat", "start");
    });
    const lossValue = h("svg:tspan", {"data-output": "loss", "data-value": String(r.loss)}, fmt(r.loss, 4));
    nodes.append(h("svg:g", {class: "node", "data-node": "loss"},
      h("svg:rect", {x: L.x - 48, y: L.y - 22, width: 96, height: 44, rx: 6}),
      h("svg:text", {x: L.x, y: L.y + 5, class: "node-value", "text-anchor": "middle"},
        h("svg:tspan", {class: "node-title"}, "L"), " = ", lossValue),
      h("svg:text", {x: L.x, y: L.y + 42, class: "loss-kind", "text-anchor": "middle"},
        s.loss === "cross_entropy" ? "cross-entropy" : "squared error")));
    container.replaceChildren(svg);
  }

  function start() {
    const root = document.getElementById("explorable");
    if (!root || !EXAMPLE) return;
    root.classList.add("explorable-ready");
    build(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

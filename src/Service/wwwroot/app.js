// AutoCompress dashboard: plain JavaScript, no build step, no third-party code (the page's Content-Security-Policy
// allows only this script and this origin). It talks to the service's own API with the bearer token the user typed,
// kept in this tab's sessionStorage, and follows an experiment live through its server-sent events.
'use strict';

(() => {
  const TOKEN_KEY = 'autocompress.token';
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const PAGE = 10000;          // the API's largest page of trials
  const ROWS = 200;            // trial rows shown before "Show more"
  const ENDED = new Set(['completed', 'failed', 'cancelled']);
  const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'];
  const SEQ = '#seq';          // pseudo metric: the trial number, when a trial reports a single metric

  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem(TOKEN_KEY);
  let current = null;          // the open view (ListView or ExperimentView)

  // ---------- helpers ----------

  class HttpError extends Error {
    constructor(status, message, field) { super(message); this.status = status; this.field = field; }
  }

  async function api(path, init = {}) {
    const headers = new Headers(init.headers || {});
    headers.set('Accept', 'application/json');
    if (token) headers.set('Authorization', 'Bearer ' + token);
    let response;
    try {
      response = await fetch(path, { ...init, headers });
    } catch (e) {
      throw new HttpError(0, 'the service cannot be reached (' + e.message + ')');
    }
    if (response.status === 401) {
      signOut('The service refused the token; sign in again.');
      throw new HttpError(401, 'unauthorized');
    }
    if (!response.ok) {
      let body = null;
      try { body = await response.json(); } catch { /* not JSON */ }
      throw new HttpError(response.status, (body && body.error) || `${response.status} ${response.statusText}`, body && body.field);
    }
    return response.status === 204 ? null : response.json();
  }

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (v == null) continue;
      if (k === 'className') node.className = v;
      else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function svgEl(tag, attrs = {}, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (text != null) node.textContent = text;
    return node;
  }

  // Five significant digits; millions and more with a suffix (MACs, parameters), tiny values in exponent form.
  function fmt(v) {
    if (v == null || typeof v !== 'number' || !Number.isFinite(v)) return '—';
    const a = Math.abs(v);
    if (a >= 1e12) return v.toExponential(4);
    if (a >= 1e9) return String(Number((v / 1e9).toPrecision(5))) + 'G';
    if (a >= 1e6) return String(Number((v / 1e6).toPrecision(5))) + 'M';
    if (a !== 0 && a < 1e-3) return v.toExponential(3);
    if (Number.isInteger(v)) return String(v);
    return String(Number(v.toPrecision(5)));
  }

  function fmtTick(v, precision) {
    const a = Math.abs(v);
    const trim = (x) => String(Number(x.toPrecision(precision)));
    if (a >= 1e9) return trim(v / 1e9) + 'G';
    if (a >= 1e6) return trim(v / 1e6) + 'M';
    if (a >= 1e4) return trim(v / 1e3) + 'k';
    if (a !== 0 && a < 1e-3) return v.toExponential(Math.max(1, precision - 2));
    return trim(v);
  }

  // Tick labels with as few digits as keep them apart (a narrow range of large values needs more).
  function tickLabels(values) {
    for (let p = 3; p <= 15; p++) {
      const labels = values.map((v) => fmtTick(v, p));
      if (new Set(labels).size === labels.length) return labels;
    }
    return values.map(String);
  }

  function fmtTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
  }

  function fmtBytes(n) {
    if (n == null) return '';
    if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + ' MiB';
    if (n >= 1 << 10) return (n / (1 << 10)).toFixed(1) + ' KiB';
    return n + ' B';
  }

  function badge(status) {
    return el('span', { className: 'status ' + status, text: status });
  }

  function setNotice(message) {
    $('notice').textContent = message || '';
    $('notice').hidden = !message;
  }

  function setLive(on, text) {
    $('live').classList.toggle('on', !!on);
    $('live').textContent = text || '';
  }

  function show(section) {
    for (const id of ['login', 'list-view', 'experiment-view']) $(id).hidden = id !== section;
    $('logout').hidden = !token;
  }

  // Nice round tick values covering [lo, hi].
  function ticks(lo, hi, integer = false, n = 5) {
    const span = hi - lo;
    if (!(span > 0)) return [lo];
    const raw = span / n;
    const mag = 10 ** Math.floor(Math.log10(raw));
    const err = raw / mag;
    let step = (err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1) * mag;
    if (integer) step = Math.max(1, Math.round(step));
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
    return out;
  }

  function extent(values) {
    let lo = Math.min(...values), hi = Math.max(...values);
    if (lo === hi) {
      const d = lo === 0 ? 1 : Math.abs(lo) * 0.05;
      return [lo - d, hi + d];
    }
    const pad = (hi - lo) * 0.05;
    return [lo - pad, hi + pad];
  }

  // Axes, grid and labels of a chart; returns the scales.
  function frame(svg, xDomain, yDomain, xLabel, yLabel, xInteger = false) {
    const W = 560, H = 340, m = { l: 66, r: 16, t: 12, b: 46 };
    const sx = (v) => m.l + (v - xDomain[0]) / (xDomain[1] - xDomain[0]) * (W - m.l - m.r);
    const sy = (v) => H - m.b - (v - yDomain[0]) / (yDomain[1] - yDomain[0]) * (H - m.t - m.b);
    // Fewer ticks when long labels (a narrow range of large values) would run into each other.
    let xt = ticks(xDomain[0], xDomain[1], xInteger), xl = tickLabels(xt);
    for (const n of [3, 2]) {
      if (Math.max(...xl.map((l) => l.length)) * 7.5 + 16 < (W - m.l - m.r) / xt.length) break;
      xt = ticks(xDomain[0], xDomain[1], xInteger, n);
      xl = tickLabels(xt);
    }
    xt.forEach((t, i) => {
      svg.append(svgEl('line', { class: 'gridline', x1: sx(t), x2: sx(t), y1: m.t, y2: H - m.b }));
      svg.append(svgEl('text', { class: 'tick', x: sx(t), y: H - m.b + 16, 'text-anchor': 'middle' }, xl[i]));
    });
    const yt = ticks(yDomain[0], yDomain[1]), yl = tickLabels(yt);
    yt.forEach((t, i) => {
      svg.append(svgEl('line', { class: 'gridline', x1: m.l, x2: W - m.r, y1: sy(t), y2: sy(t) }));
      svg.append(svgEl('text', { class: 'tick', x: m.l - 6, y: sy(t) + 4, 'text-anchor': 'end' }, yl[i]));
    });
    svg.append(svgEl('line', { class: 'axis', x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b }));
    svg.append(svgEl('line', { class: 'axis', x1: m.l, x2: m.l, y1: m.t, y2: H - m.b }));
    svg.append(svgEl('text', { class: 'label', x: (m.l + W - m.r) / 2, y: H - 8, 'text-anchor': 'middle' }, xLabel));
    svg.append(svgEl('text', { class: 'label', x: 14, y: (m.t + H - m.b) / 2, 'text-anchor': 'middle', transform: `rotate(-90 14 ${(m.t + H - m.b) / 2})` }, yLabel));
    return { sx, sy };
  }

  function emptyChart(svg, message) {
    svg.replaceChildren(svgEl('text', { class: 'empty', x: 280, y: 170, 'text-anchor': 'middle' }, message));
  }

  // Points {a, b} to minimise in both: the non-dominated ones, sorted by a.
  function front2d(points) {
    const sorted = points.slice().sort((p, q) => p.a - q.a || p.b - q.b);
    const out = [];
    let best = Infinity;
    for (const p of sorted) if (p.b < best) { out.push(p); best = p.b; }
    return out;
  }

  // Area dominated by a 2-D front (sorted by a, b decreasing) up to the reference point (ra, rb).
  function hypervolume2d(front, ra, rb) {
    let hv = 0, prevB = rb;
    for (const p of front) {
      if (p.a >= ra || p.b >= prevB) continue;
      hv += (ra - p.a) * (prevB - p.b);
      prevB = p.b;
    }
    return hv;
  }

  async function download(url, name) {
    const response = await fetch(url, { headers: { Authorization: 'Bearer ' + token } });
    if (!response.ok) throw new HttpError(response.status, `download failed: ${response.status} ${response.statusText}`);
    const href = URL.createObjectURL(await response.blob());
    const a = el('a', { href, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 60000);
  }

  // ---------- sign in ----------

  async function signIn(event) {
    event.preventDefault();
    const candidate = $('token').value.trim();
    $('login-error').textContent = '';
    if (!candidate) return;
    let response;
    try {
      response = await fetch('/api/experiments', { headers: { Authorization: 'Bearer ' + candidate, Accept: 'application/json' } });
    } catch (e) {
      $('login-error').textContent = 'The service cannot be reached: ' + e.message;
      return;
    }
    if (response.status === 401) {
      $('login-error').textContent = 'The service refused this token.';
      return;
    }
    if (!response.ok) {
      $('login-error').textContent = `The service answered ${response.status} ${response.statusText}.`;
      return;
    }
    token = candidate;
    sessionStorage.setItem(TOKEN_KEY, token);
    $('token').value = '';
    route();
  }

  function signOut(message) {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    stopCurrent();
    setNotice(null);
    show('login');
    $('login-error').textContent = message || '';
  }

  // ---------- routing ----------

  function stopCurrent() {
    if (current) current.stop();
    current = null;
  }

  function route() {
    if (!token) {
      stopCurrent();
      show('login');
      $('token').focus();
      return;
    }
    setNotice(null);
    const m = location.hash.match(/^#\/experiments\/([0-9a-fA-F-]{36})(?:\/trials\/(\d+))?$/);
    if (m) {
      const seq = m[2] ? Number(m[2]) : null;
      if (current instanceof ExperimentView && current.id === m[1]) {
        current.select(seq);
        return;
      }
      stopCurrent();
      current = new ExperimentView(m[1], seq);
      return;
    }
    stopCurrent();
    current = new ListView();
  }

  // ---------- the experiments list ----------

  class ListView {
    constructor() {
      this.stopped = false;
      show('list-view');
      this.refresh();
    }

    stop() {
      this.stopped = true;
      clearTimeout(this.timer);
    }

    async refresh() {
      try {
        const list = await api('/api/experiments');
        if (this.stopped) return;
        this.render(list);
        setNotice(null);
      } catch (e) {
        if (this.stopped || e.status === 401) return;
        setNotice('Cannot list the experiments: ' + e.message);
      }
      if (!this.stopped) this.timer = setTimeout(() => this.refresh(), 2000);
    }

    render(list) {
      $('no-experiments').hidden = list.length > 0;
      $('experiments').tBodies[0].replaceChildren(...list.map((p) => {
        const done = p.completed + p.failed;
        const bar = el('progress', { max: Math.max(1, p.max_trials), value: done });
        let text = `${p.completed}/${p.max_trials}`;
        if (p.failed) text += `, ${p.failed} failed`;
        if (p.running) text += `, ${p.running} running`;
        const best = p.best_value == null ? '—' : `${fmt(p.best_value)} (#${p.best_trial_seq})`;
        const row = el('tr', { 'data-id': p.experiment_id },
          el('td', {}, el('a', { href: `#/experiments/${p.experiment_id}`, className: 'exp-link', text: p.name })),
          el('td', {}, badge(p.status)),
          el('td', { className: 'progress-cell' }, bar, text),
          el('td', { className: 'num best', text: best }));
        return row;
      }));
    }
  }

  async function createExperiment() {
    $('create-error').textContent = '';
    const body = $('spec').value;
    try {
      JSON.parse(body);
    } catch (e) {
      $('create-error').textContent = 'Not JSON: ' + e.message;
      return;
    }
    try {
      const p = await api('/api/experiments', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
      $('spec').value = '';
      location.hash = `#/experiments/${p.experiment_id}`;
    } catch (e) {
      if (e.status !== 401) $('create-error').textContent = e.message + (e.field ? ` (field: ${e.field})` : '');
    }
  }

  // ---------- one experiment ----------

  class ExperimentView {
    constructor(id, seq) {
      this.id = id;
      this.trials = new Map();
      this.progress = null;
      this.objectives = [];
      this.metricNames = [];
      this.costMetric = null;
      this.userCost = false;
      this.sortKey = 'seq';
      this.sortDesc = false;
      this.rowsShown = ROWS;
      this.selected = seq;
      this.stopped = false;
      this.detailGeneration = 0;
      this.lastActive = 0;
      this.lastResync = 0;
      this.lastPareto = 0;
      show('experiment-view');
      $('exp-name').textContent = '…';
      $('exp-status').textContent = '';
      $('trial-details').hidden = true;
      $('scatter').replaceChildren();
      $('hv').replaceChildren();
      $('trials').tHead.replaceChildren();
      $('trials').tBodies[0].replaceChildren();
      $('pareto-summary').textContent = '';
      $('status-filter').value = 'all';
      this.start();
    }

    stop() {
      this.stopped = true;
      if (this.source) this.source.close();
      clearTimeout(this.renderTimer);
      setLive(false, '');
    }

    async start() {
      try {
        const detail = await api(`/api/experiments/${this.id}`);
        if (this.stopped) return;
        this.progress = detail.progress;
        // Directions are compared in lower case: a stored spec may spell them "Maximize".
        this.objectives = ((detail.spec && detail.spec.objectives) || []).map((o) => ({ metric: o.metric, direction: String(o.direction).toLowerCase() }));
        this.renderHead();
        await this.loadTrials();
        if (this.stopped) return;
        this.renderAll();
        if (this.selected != null) this.select(this.selected);
        // An ended experiment has nothing more to say; a created, running or paused one is followed live.
        if (ENDED.has(this.progress.status)) setLive(false, 'ended');
        else this.connect();
        this.loadPareto();
      } catch (e) {
        if (this.stopped || e.status === 401) return;
        setNotice(e.status === 404 ? 'This experiment does not exist (it may have been deleted).' : 'Cannot load the experiment: ' + e.message);
      }
    }

    async loadTrials() {
      let after = 0;
      for (;;) {
        const page = await api(`/api/experiments/${this.id}/trials?after_seq=${after}&limit=${PAGE}`);
        if (this.stopped) return;
        for (const t of page.trials) this.upsert(t);
        if (page.trials.length < PAGE) break;
        after = page.trials[page.trials.length - 1].seq;
      }
    }

    // A newer account of a trial replaces an older one; an ended trial never goes back to pending/running unless retried.
    upsert(t) {
      const old = this.trials.get(t.seq);
      if (old && ENDED.has(old.status) && !ENDED.has(t.status) && t.attempt <= old.attempt) return;
      this.trials.set(t.seq, t);
      if (t.seq === this.selected && (!old || old.status !== t.status)) this.select(t.seq);
    }

    connect() {
      const es = new EventSource(`/api/experiments/${this.id}/events?access_token=${encodeURIComponent(token)}`);
      this.source = es;
      es.addEventListener('open', () => setLive(true, 'live'));
      es.addEventListener('progress', (e) => this.onProgress(JSON.parse(e.data)));
      es.addEventListener('trial', (e) => {
        this.upsert(JSON.parse(e.data));
        this.scheduleRender();
      });
      es.addEventListener('end', (e) => {
        es.close();
        setLive(false, 'ended');
        this.onProgress(JSON.parse(e.data));
        this.resync(true);
        this.loadPareto();
      });
      es.onerror = () => {
        if (this.stopped) return;
        if (es.readyState === EventSource.CLOSED) {
          setLive(false, 'disconnected');
          // A refused token closes the stream for good; an API call tells (and signs out) if that is why.
          api('/api/experiments?limit=1').catch(() => {});
        } else {
          setLive(false, 'reconnecting…');
        }
      };
    }

    onProgress(p) {
      const previous = this.progress;
      this.progress = p;
      this.renderHead();
      const now = Date.now();
      // The stream sends each round's ended trials right after its progress: by the next progress, every trial the
      // previous one counted should be here. If not (more ended in one round than the stream carries), fetch them all.
      const known = this.count('completed');
      if (previous && previous.completed > known && now - this.lastResync > 3000) this.resync(false);
      if ((p.running + p.queued > 0 || (previous && previous.running + previous.queued > 0)) && now - this.lastActive > 1500) this.refreshActive();
      if (previous && p.completed !== previous.completed && now - this.lastPareto > 3000) this.loadPareto();
    }

    count(status) {
      let n = 0;
      for (const t of this.trials.values()) if (t.status === status) n++;
      return n;
    }

    async resync(force) {
      this.lastResync = Date.now();
      try {
        await this.loadTrials();
        this.scheduleRender();
      } catch (e) {
        if (force && !this.stopped && e.status !== 401) setNotice('Cannot reload the trials: ' + e.message);
      }
    }

    // Queued and running trials are not in the event stream (it carries trials as they end): poll them.
    async refreshActive() {
      this.lastActive = Date.now();
      try {
        const page = await api(`/api/experiments/${this.id}/trials?status=pending,running&limit=1000`);
        if (this.stopped) return;
        for (const t of page.trials) this.upsert(t);
        this.scheduleRender();
      } catch { /* the next round tries again */ }
    }

    async loadPareto() {
      this.lastPareto = Date.now();
      try {
        const p = await api(`/api/experiments/${this.id}/pareto`);
        if (this.stopped) return;
        const objectives = p.objectives.map((o) => `${o.metric} (${o.direction})`).join(', ');
        $('pareto-summary').textContent = `Server front under the spec's objectives [${objectives}]: ${p.size} of ${p.evaluated} evaluated` +
          (p.hypervolume == null ? '' : `, hypervolume ${fmt(p.hypervolume)}`) + '.';
      } catch { /* optional */ }
    }

    async control(action) {
      if (action === 'cancel' && !window.confirm('Cancel this experiment? Its running trials stop and it cannot be resumed.')) return;
      for (const b of ['pause', 'resume', 'cancel']) $(b).disabled = true;
      try {
        this.progress = await api(`/api/experiments/${this.id}/${action}`, { method: 'POST' });
        setNotice(null);
      } catch (e) {
        if (e.status !== 401) setNotice(`Cannot ${action} the experiment: ${e.message}`);
      }
      this.renderHead();
    }

    scheduleRender() {
      if (this.renderTimer) return;
      this.renderTimer = setTimeout(() => {
        this.renderTimer = null;
        if (!this.stopped) this.renderAll();
      }, 50);
    }

    renderAll() {
      this.computeMetrics();
      this.renderHead();
      this.renderScatter();
      this.renderHypervolume();
      this.renderTable();
    }

    renderHead() {
      const p = this.progress;
      if (!p) return;
      $('exp-name').textContent = p.name;
      document.title = `${p.name} · AutoCompress`;
      const status = $('exp-status');
      status.className = 'status ' + p.status;
      status.textContent = p.status;
      $('completed').textContent = p.completed;
      $('failed').textContent = p.failed;
      $('running').textContent = p.running;
      $('queued').textContent = p.queued;
      $('max-trials').textContent = p.max_trials;
      const best = $('best');
      if (p.best_value == null) best.textContent = '—';
      else best.replaceChildren(fmt(p.best_value) + ' ', el('a', { href: `#/experiments/${this.id}/trials/${p.best_trial_seq}`, text: `#${p.best_trial_seq}` }));
      $('exp-progress').max = Math.max(1, p.max_trials);
      $('exp-progress').value = p.completed + p.failed;
      $('pause').disabled = !(p.status === 'running' || p.status === 'created');
      $('resume').disabled = p.status !== 'paused';
      $('cancel').disabled = !['created', 'running', 'paused'].includes(p.status);
      $('exp-error').hidden = !p.error;
      $('exp-error').textContent = p.error || '';
    }

    // The metrics completed trials report, the accuracy axis (the first objective) and the chosen cost axis.
    computeMetrics() {
      const names = new Set();
      for (const t of this.trials.values())
        if (t.status === 'completed' && t.metrics)
          for (const [k, v] of Object.entries(t.metrics)) if (typeof v === 'number' && Number.isFinite(v)) names.add(k);
      this.metricNames = [...names].sort();
      const first = this.objectives[0];
      this.yMetric = first ? first.metric : (this.metricNames[0] || SEQ);
      this.yMaximize = !first || first.direction !== 'minimize';
      const costs = this.metricNames.filter((n) => n !== this.yMetric);
      if (costs.length === 0) costs.push(SEQ);
      if (!this.userCost || !costs.includes(this.costMetric)) {
        const second = this.objectives[1] && this.objectives[1].metric;
        this.costMetric = [second, 'macs', costs.find((n) => n.startsWith('latency')), 'parameters'].find((n) => n && costs.includes(n)) || costs[0];
      }
      const objective = this.objectives.find((o) => o.metric === this.costMetric);
      this.xMinimize = !objective || objective.direction !== 'maximize';
      this.fillSelect($('cost-metric'), costs.map((n) => [n, n === SEQ ? 'trial #' : n]), this.costMetric);
      const sortKeys = [['seq', 'trial #'], ['status', 'status'], ['duration_seconds', 'duration'], ...this.metricNames.map((n) => [n, n])];
      this.fillSelect($('sort-by'), sortKeys, this.sortKey);
      $('y-metric').textContent = `${this.yMetric} (${this.yMaximize ? 'max' : 'min'})`;
    }

    // Rebuilds a select's options only when they changed, so an open drop-down is not disturbed by live updates.
    fillSelect(select, options, value) {
      const signature = options.map((o) => o[0]).join('\u0001');
      if (select.dataset.signature !== signature) {
        select.replaceChildren(...options.map(([v, label]) => el('option', { value: v, text: label })));
        select.dataset.signature = signature;
      }
      if (options.some((o) => o[0] === value)) select.value = value;
    }

    value(t, key) {
      if (key === SEQ || key === 'seq') return t.seq;
      if (key === 'duration_seconds') return t.duration_seconds;
      if (key === 'status') return t.status;
      if (key === 'attempt') return t.attempt;
      if (key === 'worker') return t.worker || null;
      const v = t.metrics && t.metrics[key];
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    }

    completedPoints() {
      const out = [];
      for (const t of this.trials.values()) {
        if (t.status !== 'completed') continue;
        const x = this.value(t, this.costMetric), y = this.value(t, this.yMetric);
        if (x == null || y == null) continue;
        out.push({ t, x, y, a: this.xMinimize ? x : -x, b: this.yMaximize ? -y : y });
      }
      return out;
    }

    renderScatter() {
      const svg = $('scatter');
      const points = this.completedPoints();
      if (points.length === 0) {
        emptyChart(svg, 'No completed trials yet');
        $('front-size').textContent = '';
        return;
      }
      svg.replaceChildren();
      const { sx, sy } = frame(svg, extent(points.map((p) => p.x)), extent(points.map((p) => p.y)),
        this.costMetric === SEQ ? 'trial #' : this.costMetric, this.yMetric, this.costMetric === SEQ);
      const front = front2d(points);
      const onFront = new Set(front.map((p) => p.t.seq));
      if (front.length > 1) {
        let d = `M${sx(front[0].x)},${sy(front[0].y)}`;
        for (let i = 1; i < front.length; i++) d += ` H${sx(front[i].x)} V${sy(front[i].y)}`;
        svg.append(svgEl('path', { class: 'front-line', d }));
      }
      const ordered = points.slice().sort((p, q) => onFront.has(p.t.seq) - onFront.has(q.t.seq));
      for (const p of ordered) {
        let cls = 'point';
        if (onFront.has(p.t.seq)) cls += ' front';
        if (p.t.seq === this.selected) cls += ' selected';
        const c = svgEl('circle', { class: cls, cx: sx(p.x).toFixed(1), cy: sy(p.y).toFixed(1), r: onFront.has(p.t.seq) ? 5 : 4, 'data-seq': p.t.seq });
        c.append(svgEl('title', {}, `trial #${p.t.seq}: ${this.yMetric} ${fmt(p.y)}, ${this.costMetric === SEQ ? 'trial' : this.costMetric} ${fmt(p.x)}`));
        svg.append(c);
      }
      $('front-size').textContent = `${front.length} on the front of ${points.length}`;
    }

    // Hypervolume of the 2-D front (the scatter's two axes) after each completed trial, in the order they ended, against
    // the worst value of each axis among all completed trials, normalised by the box between the best and worst values.
    renderHypervolume() {
      const svg = $('hv');
      const ended = (p) => Date.parse(p.t.ended_at) || 0;
      const points = this.completedPoints().sort((p, q) => ended(p) - ended(q) || p.t.seq - q.t.seq);
      if (points.length === 0) {
        emptyChart(svg, 'No completed trials yet');
        $('hv-value').textContent = '';
        return;
      }
      const ra = Math.max(...points.map((p) => p.a)), rb = Math.max(...points.map((p) => p.b));
      const ia = Math.min(...points.map((p) => p.a)), ib = Math.min(...points.map((p) => p.b));
      const box = (ra - ia) * (rb - ib);
      let front = [];
      const series = [];
      let hv = 0;
      for (const p of points) {
        if (!front.some((f) => f.a <= p.a && f.b <= p.b)) {
          front = front2d([...front.filter((f) => !(p.a <= f.a && p.b <= f.b)), p]);
          hv = box > 0 ? hypervolume2d(front, ra, rb) / box : 0;
        }
        series.push(hv);
      }
      svg.replaceChildren();
      const n = series.length;
      const { sx, sy } = frame(svg, [0, Math.max(1, n)], [0, Math.max(0.05, Math.max(...series) * 1.08)], 'completed trials', 'normalised hypervolume', true);
      let d = `M${sx(0)},${sy(0)}`;
      series.forEach((v, i) => { d += ` V${sy(v).toFixed(1)} H${sx(i + 1).toFixed(1)}`; });
      svg.append(svgEl('path', { class: 'hv-area', d: d + ` V${sy(0)} Z` }));
      svg.append(svgEl('path', { class: 'hv-line', d }));
      $('hv-value').textContent = `now ${fmt(series[n - 1])} (${this.yMetric} × ${this.costMetric === SEQ ? 'trial #' : this.costMetric})`;
    }

    columns() {
      const cols = [{ key: 'seq', label: '#', num: true }, { key: 'status', label: 'status' }, { key: this.yMetric, label: this.yMetric, num: true, metric: true }];
      if (this.costMetric !== SEQ && this.costMetric !== this.yMetric) cols.push({ key: this.costMetric, label: this.costMetric, num: true, metric: true });
      if (this.sortKey !== 'seq' && this.sortKey !== 'status' && this.sortKey !== 'duration_seconds' && !cols.some((c) => c.key === this.sortKey))
        cols.push({ key: this.sortKey, label: this.sortKey, num: true, metric: true });
      cols.push({ key: 'duration_seconds', label: 'seconds', num: true }, { key: 'attempt', label: 'attempt', num: true }, { key: 'worker', label: 'worker' });
      return cols;
    }

    sortBy(key) {
      if (this.sortKey === key) this.sortDesc = !this.sortDesc;
      else {
        this.sortKey = key;
        const objective = this.objectives.find((o) => o.metric === key);
        this.sortDesc = objective ? objective.direction === 'maximize' : false;
      }
      this.renderAll();
    }

    renderTable() {
      const all = [...this.trials.values()];
      const filterSelect = $('status-filter');
      if (filterSelect.options.length === 0)
        filterSelect.replaceChildren(el('option', { value: 'all' }), ...STATUSES.map((s) => el('option', { value: s })));
      for (const o of filterSelect.options) {
        const n = o.value === 'all' ? all.length : all.filter((t) => t.status === o.value).length;
        o.textContent = `${o.value} (${n})`;
      }
      const filter = filterSelect.value || 'all';
      const rows = filter === 'all' ? all : all.filter((t) => t.status === filter);
      const key = this.sortKey, dir = this.sortDesc ? -1 : 1;
      rows.sort((p, q) => {
        const a = this.value(p, key), b = this.value(q, key);
        if (a == null && b == null) return p.seq - q.seq;
        if (a == null) return 1;          // missing values last, whichever the direction
        if (b == null) return -1;
        if (a < b) return -dir;
        if (a > b) return dir;
        return p.seq - q.seq;
      });
      $('sort-dir').textContent = this.sortDesc ? 'descending' : 'ascending';
      const cols = this.columns();
      $('trials').tHead.replaceChildren(el('tr', {}, ...cols.map((c) => {
        let cls = 'sortable' + (c.num ? ' num' : '');
        if (c.key === key) cls += ' sorted' + (this.sortDesc ? '' : ' asc');
        return el('th', { className: cls, 'data-key': c.key, text: c.label });
      })));
      const shown = rows.slice(0, this.rowsShown);
      $('trials').tBodies[0].replaceChildren(...shown.map((t) => el('tr', { 'data-seq': t.seq, className: t.seq === this.selected ? 'selected' : null },
        ...cols.map((c) => {
          if (c.key === 'status') return el('td', {}, badge(t.status));
          if (c.key === 'worker') return el('td', { text: t.worker || '' });
          if (c.key === 'attempt') return el('td', { className: 'num', text: t.attempt });
          return el('td', { className: 'num', 'data-metric': c.metric ? c.key : null, text: fmt(this.value(t, c.key)) });
        }))));
      $('trial-count').textContent = `${rows.length} of ${all.length} trials`;
      $('more-rows').hidden = rows.length <= shown.length;
      $('more-rows').textContent = `Show more (${rows.length - shown.length} hidden)`;
    }

    async select(seq) {
      this.selected = seq;
      this.scheduleRender();
      const generation = ++this.detailGeneration;
      if (seq == null) {
        $('trial-details').hidden = true;
        return;
      }
      try {
        const detail = await api(`/api/experiments/${this.id}/trials/${seq}`);
        if (this.stopped || generation !== this.detailGeneration) return;
        this.renderDetails(detail);
      } catch (e) {
        if (this.stopped || generation !== this.detailGeneration || e.status === 401) return;
        $('trial-details').hidden = false;
        $('trial-title').textContent = `Trial #${seq}`;
        $('trial-info').replaceChildren(el('dt', { text: 'error' }), el('dd', { className: 'error', text: e.message }));
        for (const id of ['trial-metrics', 'trial-config']) $(id).tBodies[0].replaceChildren();
        $('trial-artifacts').replaceChildren();
        $('trial-error-box').hidden = true;
        $('trial-log-box').hidden = true;
      }
    }

    renderDetails({ trial: t, artifacts }) {
      $('trial-details').hidden = false;
      $('trial-title').replaceChildren(`Trial #${t.seq} `, badge(t.status));
      const info = [['attempt', t.attempt], ['worker', t.worker || '—'], ['fidelity', fmt(t.fidelity)], ['parent trial id', t.parent_id ?? '—'],
        ['created', fmtTime(t.created_at)], ['started', fmtTime(t.started_at)], ['ended', fmtTime(t.ended_at)],
        ['duration', t.duration_seconds == null ? '—' : `${fmt(t.duration_seconds)} s`]];
      $('trial-info').replaceChildren(...info.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
      const objectives = new Map(this.objectives.map((o) => [o.metric, o.direction]));
      const metrics = Object.entries(t.metrics || {}).sort(([a], [b]) => (objectives.has(b) - objectives.has(a)) || a.localeCompare(b));
      $('trial-metrics').tBodies[0].replaceChildren(...(metrics.length ? metrics.map(([k, v]) => el('tr', { 'data-metric': k },
        el('th', { text: objectives.has(k) ? `${k} (${objectives.get(k)})` : k }),
        el('td', { title: String(v), text: typeof v === 'number' ? String(Number(v.toPrecision(8))) : String(v) })))
        : [el('tr', {}, el('td', { className: 'muted', text: ENDED.has(t.status) ? 'none reported' : 'not yet' }))]));
      $('trial-config').tBodies[0].replaceChildren(...Object.entries(t.config || {}).map(([k, v]) =>
        el('tr', {}, el('th', { text: k }), el('td', { text: typeof v === 'object' ? JSON.stringify(v) : String(v) }))));
      $('trial-error-box').hidden = !t.error;
      $('trial-error').textContent = t.error || '';
      $('trial-artifacts').replaceChildren(...(artifacts.length ? artifacts.map((a) => {
        const link = el('a', { href: a.url, className: 'artifact', 'data-kind': a.kind, download: a.name, text: a.name });
        link.addEventListener('click', (e) => {
          e.preventDefault();
          download(a.url, a.name).catch((err) => setNotice(err.message));
        });
        return el('li', {}, link, el('span', { className: 'muted', text: ` ${a.kind}, ${fmtBytes(a.bytes)}` }));
      }) : [el('li', { className: 'muted', text: 'none recorded' })]));
      const log = artifacts.find((a) => a.kind === 'log');
      $('trial-log-box').hidden = !log;
      $('trial-log').textContent = '';
      if (log) this.loadLog(log.url, t.seq);
    }

    async loadLog(url, seq) {
      try {
        const response = await fetch(url, { headers: { Authorization: 'Bearer ' + token } });
        const text = response.ok ? await response.text() : `cannot read the log: ${response.status}`;
        if (this.selected === seq) $('trial-log').textContent = text.length > 65536 ? '…' + text.slice(-65536) : text;
      } catch (e) {
        if (this.selected === seq) $('trial-log').textContent = 'cannot read the log: ' + e.message;
      }
    }
  }

  // ---------- wiring ----------

  const experiment = () => (current instanceof ExperimentView ? current : null);

  $('login-form').addEventListener('submit', signIn);
  $('logout').addEventListener('click', () => signOut(''));
  $('create-button').addEventListener('click', createExperiment);
  for (const action of ['pause', 'resume', 'cancel']) $(action).addEventListener('click', () => experiment()?.control(action));
  $('cost-metric').addEventListener('change', (e) => {
    const view = experiment();
    if (!view) return;
    view.costMetric = e.target.value;
    view.userCost = true;
    view.renderAll();
  });
  $('status-filter').addEventListener('change', () => experiment()?.renderAll());
  $('sort-by').addEventListener('change', (e) => experiment()?.sortBy(e.target.value));
  $('sort-dir').addEventListener('click', () => {
    const view = experiment();
    if (!view) return;
    view.sortDesc = !view.sortDesc;
    view.renderAll();
  });
  $('more-rows').addEventListener('click', () => {
    const view = experiment();
    if (!view) return;
    view.rowsShown += ROWS;
    view.renderAll();
  });
  $('trials').addEventListener('click', (e) => {
    const view = experiment();
    if (!view) return;
    const th = e.target.closest('th[data-key]');
    if (th) { view.sortBy(th.dataset.key); return; }
    const row = e.target.closest('tr[data-seq]');
    if (row) location.hash = `#/experiments/${view.id}/trials/${row.dataset.seq}`;
  });
  $('scatter').addEventListener('click', (e) => {
    const view = experiment();
    const point = e.target.closest('circle[data-seq]');
    if (view && point) location.hash = `#/experiments/${view.id}/trials/${point.dataset.seq}`;
  });
  $('experiments').addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-id]');
    if (row && !e.target.closest('a')) location.hash = `#/experiments/${row.dataset.id}`;
  });
  window.addEventListener('hashchange', route);
  route();
})();

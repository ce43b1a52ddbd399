// The live-reload client `serve` injects before `</body>` of every HTML page it serves (never
// into `build` output). Its <script> tag carries data-mianjing="INSTANCE.GENERATION" (the build
// the page shows), and data-missing when it is the 404 page (or the not-built-yet page) served
// for a path that has no file. The protocol it speaks is described in src/serve/mod.rs.
(function () {
  var me = document.currentScript;
  var id = me.getAttribute("data-mianjing");
  var missing = me.hasAttribute("data-missing");
  var key = "mianjing-scroll:" + location.pathname;
  var es = null;

  // A reload keeps the scroll position.
  try {
    var y = sessionStorage.getItem(key);
    if (y !== null) {
      sessionStorage.removeItem(key);
      var back = function () { scrollTo(0, +y); };
      back();
      addEventListener("load", back);
    }
  } catch (e) {}

  // The output file a URL path is served from: `/net/udp/` → `net/udp/index.html`.
  function out(p) {
    try { p = decodeURIComponent(p); } catch (e) {}
    p = p.replace(/^\/+/, "");
    return p === "" || p.slice(-1) === "/" ? p + "index.html" : p;
  }

  function reload() {
    try { sessionStorage.setItem(key, String(scrollY)); } catch (e) {}
    location.reload();
  }

  // The output files this page shows: itself, and its same-origin styles, icons, scripts, images.
  function used() {
    var u = {};
    u[out(location.pathname)] = 1;
    if (missing) u["404.html"] = 1;
    document.querySelectorAll('link[rel~="stylesheet"][href],link[rel~="icon"][href],script[src],img[src]').forEach(function (e) {
      var a = new URL(e.href || e.src, location.href);
      if (a.origin === location.origin) u[out(a.pathname)] = 1;
    });
    return u;
  }

  // Swaps changed stylesheets in place: the new one loads before the old one goes. A stylesheet
  // linked by a content-hashed name that changed (`renamed`: old output path → new) is linked
  // by its new name.
  function swap(css, renamed) {
    document.querySelectorAll('link[rel~="stylesheet"][href]').forEach(function (l) {
      var a = new URL(l.href, location.href);
      var p = out(a.pathname);
      if (a.origin !== location.origin || css.indexOf(p) < 0) return;
      if (renamed[p]) a.pathname = a.pathname.slice(0, a.pathname.length - p.length) + renamed[p];
      else a.searchParams.set("__v", Date.now());
      var n = l.cloneNode();
      n.href = a.href;
      n.onload = n.onerror = function () { l.remove(); };
      l.after(n);
    });
  }

  // Shows the diagnostics of a failed build over the page; `null` removes them.
  function overlay(text) {
    var d = document.getElementById("__mianjing-errors");
    if (text === null) {
      if (d) d.remove();
      return;
    }
    if (!d) {
      d = document.createElement("pre");
      d.id = "__mianjing-errors";
      d.setAttribute("role", "alert");
      d.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;padding:1em;background:#300;color:#fdd;font:13px/1.5 monospace;z-index:2147483647;white-space:pre-wrap";
      document.body.appendChild(d);
    }
    d.textContent = "Build failed; this page shows the last good build.\n\n" + text;
  }

  function onReload(e) {
    if (e.lastEventId) id = e.lastEventId;
    overlay(null);
    var m = {};
    try { m = JSON.parse(e.data); } catch (x) {}
    if (m.all) return reload();
    var u = used(), css = [], page = false, renamed = m.renamed || {};
    (m.changed || []).forEach(function (p) {
      if (u[p]) {
        if (/\.css$/.test(p)) css.push(p);
        else page = true;
      }
    });
    (m.removed || []).forEach(function (p) {
      if (u[p]) {
        if (renamed[p] && /\.css$/.test(p)) css.push(p);
        else page = true;
      }
    });
    if (page) reload();
    else if (css.length) swap(css, renamed);
  }

  // Browsers allow six connections per server: hidden pages let theirs go, and catch up with
  // `since` when they are shown again.
  function connect() {
    if (es) return;
    es = new EventSource("/__livereload?since=" + encodeURIComponent(id));
    es.addEventListener("reload", onReload);
    es.addEventListener("failed", function (e) { overlay(e.data); });
  }

  function disconnect() {
    if (es) {
      es.close();
      es = null;
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) disconnect();
    else connect();
  });
  addEventListener("pagehide", disconnect);
  addEventListener("pageshow", function () { if (!document.hidden) connect(); });
  if (!document.hidden) connect();
})();

// The playground's page: a Discord client for the stand-in guild. It shows
// what the server renders, reloads it when the server says something
// changed (server-sent events), and sends what the person does: slash
// commands typed in the message box, clicks, menu choices and forms.
(function () {
  "use strict";
  var body = document.body;
  var as = body.dataset.as, channel = body.dataset.channel;
  var box = document.getElementById("box");
  var suggest = document.getElementById("suggest");
  var optionsEl = document.getElementById("options");
  var errorEl = document.getElementById("error");
  var commands = [];
  // The command being typed: path of base names, and its options.
  var chosen = null;

  function post(req) {
    req.as = as;
    req.channel = req.channel || channel;
    return fetch("/playground/do", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(req)
    }).then(function (r) { return r.json(); });
  }

  function showError(el, text) {
    el.textContent = text || "";
    el.hidden = !text;
  }

  // Embed colours come as data: the page's CSP allows no inline style.
  function paint(root) {
    root.querySelectorAll(".embed[data-color]").forEach(function (e) {
      e.style.borderLeftColor = e.dataset.color;
    });
  }

  var refreshing = false, again = false;
  function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    fetch("/playground/live?as=" + encodeURIComponent(as) + "&c=" + encodeURIComponent(channel))
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var tpl = document.createElement("template");
        tpl.innerHTML = html;
        var side = tpl.content.getElementById("live-side-new");
        var msgs = tpl.content.getElementById("messages-new");
        var list = document.getElementById("messages");
        var atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
        if (side) { document.getElementById("live-side").replaceChildren(...side.childNodes); }
        if (msgs) { list.replaceChildren(...msgs.childNodes); }
        paint(list);
        if (atEnd) { list.scrollTop = list.scrollHeight; }
        body.dataset.version = String(Number(body.dataset.version || "0") + 1);
      })
      .catch(function () { /* the server is away: the next event retries */ })
      .finally(function () {
        refreshing = false;
        if (again) { again = false; refresh(); }
      });
  }

  function listen() {
    var es = new EventSource("/playground/events");
    es.onmessage = refresh;
  }

  // Clicks on buttons, choices in select menus.
  document.getElementById("messages").addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-custom-id]");
    if (!b || b.disabled) { return; }
    var msg = b.closest("[data-message]").dataset.message;
    act({kind: "click", message: msg, custom_id: b.dataset.customId});
  });
  document.getElementById("messages").addEventListener("change", function (ev) {
    var s = ev.target.closest("select[data-custom-id]");
    if (!s || !s.value) { return; }
    var msg = s.closest("[data-message]").dataset.message;
    act({kind: "click", message: msg, custom_id: s.dataset.customId, values: [s.value]});
  });

  // failed is what a request that got no answer resolves to.
  function failed(err) { return {error: String(err)}; }

  function act(req) {
    showError(errorEl, "");
    return post(req).catch(failed).then(function (res) {
      if (res.error) { showError(errorEl, res.error); }
      if (res.modal) { openModal(res.modal); }
      return res;
    });
  }

  // Forms.
  var dialog = document.getElementById("modal");
  var modalForm = document.getElementById("modal-form");
  var openForm = null;
  function openModal(m) {
    openForm = m;
    document.getElementById("modal-title").textContent = m.title;
    var inputs = document.getElementById("modal-inputs");
    inputs.replaceChildren();
    m.inputs.forEach(function (i) {
      var label = document.createElement("label");
      label.textContent = i.label + (i.required ? " *" : "");
      var input = document.createElement(i.paragraph ? "textarea" : "input");
      input.name = i.custom_id;
      input.dataset.input = i.custom_id;
      if (i.max_length) { input.maxLength = i.max_length; }
      if (i.placeholder) { input.placeholder = i.placeholder; }
      if (i.value) { input.value = i.value; }
      label.appendChild(input);
      inputs.appendChild(label);
    });
    showError(document.getElementById("modal-error"), "");
    dialog.showModal();
    var first = inputs.querySelector("input,textarea");
    if (first) { first.focus(); }
  }
  document.getElementById("modal-cancel").addEventListener("click", function () { dialog.close(); openForm = null; });
  modalForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!openForm) { return; }
    var fields = {};
    modalForm.querySelectorAll("[data-input]").forEach(function (i) { fields[i.dataset.input] = i.value; });
    post({kind: "modal", custom_id: openForm.custom_id, fields: fields}).catch(failed).then(function (res) {
      if (res.error) {
        showError(document.getElementById("modal-error"), res.error);
        return;
      }
      dialog.close();
      openForm = null;
      if (res.modal) { openModal(res.modal); }
    });
  });

  // Slash commands: "/" lists the commands in the person's language;
  // choosing one (and a subcommand) shows its options as fields.
  function loadCommands() {
    return fetch("/playground/commands?as=" + encodeURIComponent(as))
      .then(function (r) { return r.json(); })
      .then(function (list) { commands = list; })
      .catch(function () { commands = []; });
  }

  function isSub(o) { return o.type === 1 || o.type === 2; }

  function level() {
    if (!chosen) { return commands; }
    var opts = chosen.node.options || [];
    return opts.some(isSub) ? opts.filter(isSub) : null;
  }

  function showSuggestions() {
    var text = box.value;
    suggest.replaceChildren();
    var items = level();
    if (!items || (!chosen && text.charAt(0) !== "/")) { suggest.hidden = true; return; }
    var typed = (chosen ? text.slice(chosen.prefix.length) : text.slice(1)).trim().toLowerCase();
    items.filter(function (c) { return c.label.toLowerCase().indexOf(typed) === 0 || c.name.indexOf(typed) === 0; })
      .forEach(function (c) {
        var li = document.createElement("li");
        li.dataset.cmd = c.name;
        var b = document.createElement("b");
        b.textContent = (chosen ? "" : "/") + c.label;
        var d = document.createElement("span");
        d.textContent = " " + c.description;
        li.append(b, d);
        li.addEventListener("click", function () { choose(c); });
        suggest.appendChild(li);
      });
    suggest.hidden = !suggest.children.length;
  }

  function choose(c) {
    if (!chosen) {
      chosen = {path: [c.name], node: c, prefix: "/" + c.label + " "};
    } else {
      chosen = {path: chosen.path.concat([c.name]), node: c, prefix: chosen.prefix + c.label + " "};
    }
    box.value = chosen.prefix;
    box.focus();
    renderOptions();
    showSuggestions();
  }

  function reset() {
    chosen = null;
    box.value = "";
    optionsEl.replaceChildren();
    suggest.hidden = true;
  }

  function renderOptions() {
    optionsEl.replaceChildren();
    if (!chosen || level()) { return; }
    (chosen.node.options || []).forEach(function (o) {
      var wrap = document.createElement("label");
      wrap.className = "option";
      var name = document.createElement("span");
      name.textContent = o.label + (o.required ? " *" : "");
      name.title = o.description;
      var input;
      if (o.choices) {
        input = document.createElement("select");
        var none = document.createElement("option");
        none.value = "";
        none.textContent = body.dataset.pick;
        input.appendChild(none);
        o.choices.forEach(function (c) {
          var opt = document.createElement("option");
          opt.value = c.value;
          opt.textContent = c.name;
          input.appendChild(opt);
        });
      } else if (o.type === 11) {
        // An attachment: the stand-in has no file upload, and says so.
        input = document.createElement("input");
        input.disabled = true;
        input.placeholder = body.dataset.noFiles;
        input.title = body.dataset.noFiles;
      } else {
        input = document.createElement("input");
        input.placeholder = o.description;
        input.autocomplete = "off";
      }
      if (!input.disabled) { input.dataset.option = o.name; }
      wrap.append(name, input);
      if (o.autocomplete) {
        var list = document.createElement("ul");
        list.className = "choices";
        list.hidden = true;
        wrap.appendChild(list);
        input.addEventListener("input", function () { complete(o, input, list); });
        input.addEventListener("focus", function () { complete(o, input, list); });
      }
      optionsEl.appendChild(wrap);
    });
    var first = optionsEl.querySelector("input,select");
    if (first) { first.focus(); }
  }

  function values() {
    var out = {};
    optionsEl.querySelectorAll("[data-option]").forEach(function (i) {
      if (i.value !== "") { out[i.dataset.option] = i.value; }
    });
    return out;
  }

  function complete(o, input, list) {
    var opts = values();
    opts[o.name] = input.value;
    // Answers may come back out of order: only the last one counts.
    var seq = (list.seq || 0) + 1;
    list.seq = seq;
    post({kind: "autocomplete", path: chosen.path, options: opts, focused: o.name}).catch(failed).then(function (res) {
      if (list.seq !== seq) { return; }
      list.replaceChildren();
      (res.choices || []).forEach(function (c) {
        var li = document.createElement("li");
        li.textContent = c.name;
        li.dataset.value = c.value;
        li.addEventListener("mousedown", function (ev) {
          ev.preventDefault();
          input.value = c.value;
          list.hidden = true;
        });
        list.appendChild(li);
      });
      list.hidden = !list.children.length;
    });
  }

  function send() {
    if (!chosen) {
      // Typed by hand: the first words that name a command and its
      // subcommands, as Discord's client matches them.
      var words = box.value.replace(/^\//, "").trim().split(/\s+/);
      var items = commands;
      words.forEach(function (w) {
        if (!items) { return; }
        var c = items.filter(function (x) { return x.label === w || x.name === w; })[0];
        if (c) { choose(c); items = level(); }
      });
      if (!chosen) { showError(errorEl, box.value ? box.value + " ?" : ""); return; }
      if (!level() && (chosen.node.options || []).some(function (o) { return o.required; })) { return; }
    }
    act({kind: "command", path: chosen.path, options: values()}).then(function (res) {
      if (!res.error) { reset(); }
    });
  }

  box.addEventListener("input", function () {
    if (chosen && box.value.indexOf(chosen.prefix.trim()) !== 0) { chosen = null; optionsEl.replaceChildren(); }
    showSuggestions();
  });
  box.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); send(); }
    if (ev.key === "Escape") { reset(); }
  });
  optionsEl.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); send(); }
  });
  document.getElementById("send").addEventListener("click", send);

  // The switcher acts at once; the menu opens the sidebar on a phone.
  document.getElementById("as").addEventListener("change", function () {
    document.getElementById("switch").submit();
  });
  document.getElementById("menu").addEventListener("click", function () {
    var side = document.getElementById("side");
    var open = side.classList.toggle("open");
    this.setAttribute("aria-expanded", String(open));
  });

  paint(document);
  var list = document.getElementById("messages");
  list.scrollTop = list.scrollHeight;
  loadCommands().then(function () { body.dataset.ready = "1"; });
  listen();
})();

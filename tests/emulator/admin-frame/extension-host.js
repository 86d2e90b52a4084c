// A small host for the emulated admin's extension previews: what Shopify's checkout and customer accounts
// do around a UI extension, in a plain page. It gives the extension's real bundle a `shopify` global (the
// order, settings, language, translations from the extension's own locale files, Intl formatting, storage
// in memory, a session token) and draws the Polaris web components the extensions use (<s-section>,
// <s-choice-list>, <s-page>, …) as plain HTML in shadow roots, so the extension's own Preact tree keeps its
// children.
// - The checkout survey preview (`lowScoreThreshold` set): nothing is sent, the survey's calls are answered here.
// - The "My rewards" preview (`sessionTokenUrl` set): the page calls the real app with a customer-account
//   session token the emulated admin signs for the chosen customer.
(function () {
  var config = JSON.parse(document.getElementById("extension-preview-config").textContent);

  function lookup(messages, key) {
    var node = messages;
    for (var part of key.split(".")) node = node && typeof node === "object" ? node[part] : undefined;
    return typeof node === "string" ? node : undefined;
  }
  function translate(key, replacements) {
    var template = lookup(config.messages, key);
    if (template === undefined) template = lookup(config.fallbackMessages, key);
    if (template === undefined) return key;
    return template.replace(/\{\{(\w+)\}\}/g, function (_, name) {
      return replacements && name in replacements ? String(replacements[name]) : "{{" + name + "}}";
    });
  }

  var store = new Map();
  var targets = {};
  var orderGid = config.target === "purchase.thank-you.block.render" ? "gid://shopify/OrderIdentity/1001" : "gid://shopify/Order/1001";
  window.shopify = {
    extension: { target: config.target, apiVersion: "2025-10" },
    settings: { value: {} },
    localization: { language: { value: { isoCode: config.locale } }, extensionLanguage: { value: { isoCode: config.locale } } },
    i18n: {
      translate: translate,
      formatDate: function (date, options) {
        return new Intl.DateTimeFormat(config.locale, options).format(date);
      },
      formatNumber: function (n, options) {
        return new Intl.NumberFormat(config.locale, options).format(n);
      },
      formatCurrency: function (n, options) {
        return new Intl.NumberFormat(config.locale, Object.assign({}, options, { style: "currency" })).format(n);
      },
    },
    storage: {
      read: function (key) {
        return Promise.resolve(store.has(key) ? store.get(key) : null);
      },
      write: function (key, data) {
        store.set(key, data);
        return Promise.resolve();
      },
      delete: function (key) {
        store.delete(key);
        return Promise.resolve();
      },
    },
    sessionToken: {
      get: function () {
        if (!config.sessionTokenUrl) return Promise.resolve("survey-preview");
        return fetch(config.sessionTokenUrl, { cache: "no-store" })
          .then(function (answer) {
            return answer.json();
          })
          .then(function (body) {
            return body.token;
          });
      },
    },
    orderConfirmation: { value: { order: { id: orderGid }, number: "1001", isFirstOrder: false } },
    order: { value: { id: orderGid, name: "#1001" } },
    extend: function (target, render) {
      targets[target] = render;
      if (target === config.target) render();
    },
  };

  // The app's endpoint, answered here: GET gives the survey its configuration as the app would; the
  // POSTed answer goes nowhere in a preview.
  var realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = String(typeof input === "string" || input instanceof URL ? input : input.url);
    if (config.lowScoreThreshold !== undefined && url.indexOf(config.appUrl) === 0) {
      var method = ((init && init.method) || "GET").toUpperCase();
      var body = { ok: true };
      if (method === "GET") body.config = { lowScoreThreshold: config.lowScoreThreshold };
      else document.documentElement.setAttribute("data-survey-sent", (init && init.body) || "");
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } }));
    }
    return realFetch(input, init);
  };

  var CSS =
    ":host{display:block;font:14px/1.4 system-ui,sans-serif;color:#1a1a1a}" +
    "h2{font-size:18px;margin:0 0 12px}.label{display:block;font-weight:600;margin-bottom:6px}" +
    ".error{color:#b42318;font-size:13px;margin-top:4px}.choices{display:flex;flex-wrap:wrap;gap:6px}" +
    "textarea,input[type=date]{width:100%;box-sizing:border-box;font:inherit;padding:8px;border:1px solid #8a8a8a;border-radius:6px}";

  function defineElement(name, props, draw, events) {
    customElements.define(
      name,
      class extends HTMLElement {
        constructor() {
          super();
          this.attachShadow({ mode: "open" });
          this._state = {};
        }
        connectedCallback() {
          this._render();
        }
        _render() {
          this.shadowRoot.innerHTML = "<style>" + CSS + "</style>" + draw(this);
          if (events) events(this);
        }
      },
    );
    var proto = customElements.get(name).prototype;
    props.forEach(function (prop) {
      Object.defineProperty(proto, prop, {
        get: function () {
          return this._state[prop] !== undefined ? this._state[prop] : this.getAttribute(prop);
        },
        set: function (value) {
          this._state[prop] = value;
          if (this.shadowRoot) this._render();
        },
      });
    });
  }

  var escape = function (text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  };
  var errorOf = function (el) {
    return el.error ? '<div class="error" role="alert">' + escape(el.error) + "</div>" : "";
  };

  defineElement("s-section", ["heading"], function (el) {
    return (
      '<section style="border:1px solid #dedede;border-radius:12px;padding:16px;background:#fff;margin-bottom:12px">' +
      (el.heading ? "<h2>" + escape(el.heading) + "</h2>" : "") +
      "<slot></slot></section>"
    );
  });
  defineElement("s-page", ["heading"], function (el) {
    return "<h1 style='font-size:24px;margin:0 0 16px'>" + escape(el.heading) + "</h1><slot></slot>";
  });
  defineElement("s-box", ["padding", "border", "borderRadius"], function () {
    return "<div style='border:1px solid #dedede;border-radius:8px;padding:12px'><slot></slot></div>";
  });
  defineElement("s-spinner", ["accessibilityLabel"], function (el) {
    return "<span role='status' aria-label='" + escape(el.accessibilityLabel) + "'>⏳</span>";
  });
  defineElement("s-progress", ["value", "max", "accessibilityLabel"], function (el) {
    return (
      "<progress style='width:100%' value='" +
      escape(el.value) +
      "' max='" +
      escape(el.max || 1) +
      "' aria-label='" +
      escape(el.accessibilityLabel) +
      "'></progress>"
    );
  });
  // extension:// and shopify:customer-account/ links lead out of the preview: shown, not followed.
  defineElement("s-link", ["href"], function (el) {
    return "<a href='#' data-href='" + escape(el.href) + "' style='color:#2c6ecb'><slot></slot></a>";
  });
  defineElement("s-stack", ["direction", "gap", "justifyContent"], function (el) {
    var inline = el.direction === "inline";
    return (
      '<div style="display:flex;gap:' +
      (el.gap === "base" ? "12px" : "6px") +
      ";flex-direction:" +
      (inline ? "row" : "column") +
      ";justify-content:" +
      (el.justifyContent || "flex-start") +
      ';flex-wrap:wrap"><slot></slot></div>'
    );
  });
  defineElement("s-paragraph", [], function () {
    return "<p style='margin:0'><slot></slot></p>";
  });
  defineElement("s-text", ["type"], function (el) {
    var strong = el.type === "strong";
    return (
      "<span style='font-size:" +
      (el.type === "small" ? "12px" : "14px") +
      ";color:" +
      (strong ? "#1a1a1a;font-weight:650" : "#616161") +
      "'><slot></slot></span>"
    );
  });
  defineElement("s-banner", ["tone", "heading"], function (el) {
    var colour = el.tone === "critical" ? "#fee9e7" : el.tone === "success" ? "#e3f6e8" : "#eef3fd";
    return (
      '<div role="status" style="background:' +
      colour +
      ';border-radius:8px;padding:12px">' +
      (el.heading ? "<strong>" + escape(el.heading) + "</strong>" : "") +
      "<slot></slot></div>"
    );
  });
  defineElement("s-clipboard-item", ["text"], function () {
    return "";
  });
  // A button with command="--copy" copies its clipboard item's text, as Shopify's does.
  defineElement(
    "s-button",
    ["variant", "loading", "disabled", "commandFor", "command"],
    function (el) {
      var primary = el.variant === "primary";
      return (
        '<button type="button" ' +
        (el.disabled || el.loading ? "disabled " : "") +
        'style="font:inherit;padding:8px 14px;border-radius:8px;cursor:pointer;border:1px solid #1a1a1a;background:' +
        (primary ? "#1a1a1a;color:#fff" : "#fff;color:#1a1a1a") +
        '"><slot></slot></button>'
      );
    },
    function (el) {
      el.shadowRoot.querySelector("button").addEventListener("click", function () {
        if (el.command !== "--copy" || !el.commandFor) return;
        var item = document.getElementById(el.commandFor);
        var text = item && (item.text || item.getAttribute("text"));
        if (text) document.documentElement.setAttribute("data-copied", text);
        if (text && navigator.clipboard) navigator.clipboard.writeText(text).catch(function () {});
      });
    },
  );
  // A choice reports to its list, which holds the values and fires `change` on itself, as checkout's does.
  defineElement(
    "s-choice",
    ["value"],
    function (el) {
      var list = el.closest("s-choice-list");
      var picked = list && Array.isArray(list.values) && list.values.indexOf(el.value) >= 0;
      var multiple = list && (list.multiple === true || list.hasAttribute("multiple"));
      return (
        '<label style="display:inline-flex;align-items:center;gap:4px;padding:6px 10px;border:1px solid ' +
        (picked ? "#1a1a1a" : "#c9c9c9") +
        ";border-radius:8px;cursor:pointer;background:" +
        (picked ? "#f1f1f1" : "#fff") +
        '"><input type="' +
        (multiple ? "checkbox" : "radio") +
        '" ' +
        (picked ? "checked" : "") +
        "><slot></slot></label>"
      );
    },
    function (el) {
      el.shadowRoot.querySelector("input").addEventListener("change", function (event) {
        var list = el.closest("s-choice-list");
        if (!list) return;
        var multiple = list.multiple === true || list.hasAttribute("multiple");
        var current = Array.isArray(list.values) ? list.values.slice() : [];
        var next = multiple
          ? event.target.checked
            ? current.concat([el.value])
            : current.filter(function (v) {
                return v !== el.value;
              })
          : [el.value];
        list.values = next;
        list.dispatchEvent(new Event("change", { bubbles: true }));
      });
    },
  );
  defineElement("s-choice-list", ["name", "label", "variant", "values", "error", "disabled", "multiple"], function (el) {
    el.querySelectorAll("s-choice").forEach(function (choice) {
      if (choice.shadowRoot) choice._render();
    });
    return (
      '<fieldset style="border:0;padding:0;margin:0"><legend class="label">' +
      escape(el.label) +
      '</legend><div class="choices"><slot></slot></div>' +
      errorOf(el) +
      "</fieldset>"
    );
  });
  defineElement(
    "s-text-area",
    ["name", "label", "rows", "maxLength", "value", "error", "disabled"],
    function (el) {
      return (
        '<label><span class="label">' +
        escape(el.label) +
        '</span><textarea rows="' +
        escape(el.rows || 3) +
        '">' +
        escape(el.value) +
        "</textarea></label>" +
        errorOf(el)
      );
    },
    function (el) {
      el.shadowRoot.querySelector("textarea").addEventListener("input", function (event) {
        el._state.value = event.target.value;
        el.dispatchEvent(new Event("input", { bubbles: true }));
      });
    },
  );
  defineElement(
    "s-date-field",
    ["name", "label", "autocomplete", "allow", "value", "error", "disabled"],
    function (el) {
      return (
        '<label><span class="label">' +
        escape(el.label) +
        '</span><input type="date" value="' +
        escape(el.value) +
        '"></label>' +
        errorOf(el)
      );
    },
    function (el) {
      el.shadowRoot.querySelector("input").addEventListener("change", function (event) {
        el._state.value = event.target.value;
        el.dispatchEvent(new Event("change", { bubbles: true }));
      });
    },
  );
  defineElement(
    "s-checkbox",
    ["name", "label", "checked", "error", "disabled"],
    function (el) {
      return (
        '<label style="display:flex;gap:6px;align-items:flex-start"><input type="checkbox" ' +
        (el.checked ? "checked" : "") +
        "><span>" +
        escape(el.label) +
        "</span></label>" +
        errorOf(el)
      );
    },
    function (el) {
      el.shadowRoot.querySelector("input").addEventListener("change", function (event) {
        el._state.checked = event.target.checked;
        el.dispatchEvent(new Event("change", { bubbles: true }));
      });
    },
  );
})();

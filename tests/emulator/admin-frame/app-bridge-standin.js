// A small stand-in for Shopify's App Bridge script (cdn.shopify.com is unreachable offline).
// It gives the embedded app what the real one does for Kinship: `shopify.idToken()` with fresh
// session tokens minted by the emulated admin, `Authorization: Bearer …` on the app's own fetches
// (so Remix's client-side navigation authenticates), and the bounce page's `shopify-reload`.
(function () {
  var script = document.currentScript;
  var frameOrigin = new URL(script.src).origin;
  var params = new URLSearchParams(window.location.search);
  var shop = params.get("shop") || window.sessionStorage.getItem("kinship-emulated-shop");
  if (shop) window.sessionStorage.setItem("kinship-emulated-shop", shop);

  function idToken() {
    return window
      .__kinshipOriginalFetch(frameOrigin + "/session-token?shop=" + encodeURIComponent(shop || ""))
      .then(function (response) {
        if (!response.ok) throw new Error("The emulated admin refused a session token (" + response.status + ")");
        return response.json();
      })
      .then(function (body) {
        return body.token;
      });
  }

  window.__kinshipOriginalFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url, window.location.href);
    if (url.origin !== window.location.origin) return window.__kinshipOriginalFetch(input, init);
    return idToken().then(function (token) {
      var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      headers.set("Authorization", "Bearer " + token);
      return window.__kinshipOriginalFetch(input, Object.assign({}, init, { headers: headers }));
    });
  };

  function toast(message) {
    var node = document.createElement("div");
    node.setAttribute("role", "status");
    node.setAttribute("data-emulated-toast", "");
    node.textContent = message;
    node.style.cssText =
      "position:fixed;bottom:16px;left:50%;transform:translateX(-50%);background:#303030;color:#fff;padding:8px 16px;border-radius:8px;z-index:1000";
    document.body.appendChild(node);
    setTimeout(function () {
      node.remove();
    }, 3000);
  }

  window.shopify = {
    config: { apiKey: script.getAttribute("data-api-key"), shop: shop, locale: params.get("locale") || "en" },
    environment: { embedded: true, mobile: false, pos: false },
    idToken: idToken,
    toast: { show: toast, hide: function () {} },
    loading: function () {},
    saveBar: {
      show: function () {
        return Promise.resolve();
      },
      hide: function () {
        return Promise.resolve();
      },
      toggle: function () {
        return Promise.resolve();
      },
    },
    modal: {
      show: function () {
        return Promise.resolve();
      },
      hide: function () {
        return Promise.resolve();
      },
      toggle: function () {
        return Promise.resolve();
      },
    },
    // App API (https://shopify.dev/docs/api/app-home/apis/app): a Promise of the app's extensions,
    // each `{ handle, type, activations: [{ target }] }`, as the emulated admin says they are placed.
    app: {
      extensions: function () {
        return window
          .__kinshipOriginalFetch(frameOrigin + "/app-extensions?shop=" + encodeURIComponent(shop || ""))
          .then(function (response) {
            if (!response.ok) throw new Error("The emulated admin could not list extensions (" + response.status + ")");
            return response.json();
          });
      },
    },
  };

  // Shopify's admin draws <ui-nav-menu> in its own sidebar, not in the app: hide it here and tell the
  // emulated admin (the parent page) what it holds and which page is open, after every navigation.
  var style = document.createElement("style");
  style.textContent = "ui-nav-menu{display:none!important}";
  document.head.appendChild(style);
  var lastPosted = "";
  var scheduled = false;
  function schedulePost() {
    if (scheduled) return;
    scheduled = true;
    setTimeout(function () {
      scheduled = false;
      postNav();
    }, 50);
  }
  function postNav() {
    if (window.parent === window) return;
    var links = document.querySelectorAll("ui-nav-menu a");
    var items = Array.prototype.map.call(links, function (a) {
      return { href: a.getAttribute("href"), label: a.textContent.trim(), rel: a.getAttribute("rel") };
    });
    var message = { kinship: "nav", items: items, path: window.location.pathname };
    var text = JSON.stringify(message);
    if (text === lastPosted) return;
    lastPosted = text;
    window.parent.postMessage(message, frameOrigin);
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      schedulePost();
      return result;
    };
  });
  window.addEventListener("popstate", schedulePost);
  // The menu renders with the app and changes with its language: post whenever the page changes (only
  // a different menu or path is sent).
  new MutationObserver(schedulePost).observe(document.documentElement, { childList: true, subtree: true });
  schedulePost();
  window.addEventListener("message", function (event) {
    if (event.origin !== frameOrigin || !event.data || event.data.kinship !== "navigate") return;
    var target = Array.prototype.find.call(document.querySelectorAll("ui-nav-menu a"), function (a) {
      return a.getAttribute("href") === event.data.href;
    });
    if (target) target.click();
  });

  var reload = params.get("shopify-reload");
  if (reload) {
    idToken().then(function (token) {
      var target = new URL(reload);
      target.searchParams.set("id_token", token);
      window.location.replace(target.toString());
    });
  }
})();

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
    return window.__kinshipOriginalFetch(frameOrigin + "/session-token?shop=" + encodeURIComponent(shop || ""))
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
    node.style.cssText = "position:fixed;bottom:16px;left:50%;transform:translateX(-50%);background:#303030;color:#fff;padding:8px 16px;border-radius:8px;z-index:1000";
    document.body.appendChild(node);
    setTimeout(function () { node.remove(); }, 3000);
  }

  window.shopify = {
    config: { apiKey: script.getAttribute("data-api-key"), shop: shop, locale: params.get("locale") || "en" },
    environment: { embedded: true, mobile: false, pos: false },
    idToken: idToken,
    toast: { show: toast, hide: function () {} },
    loading: function () {},
    saveBar: { show: function () { return Promise.resolve(); }, hide: function () { return Promise.resolve(); }, toggle: function () { return Promise.resolve(); } },
    modal: { show: function () { return Promise.resolve(); }, hide: function () { return Promise.resolve(); }, toggle: function () { return Promise.resolve(); } },
    // App API (https://shopify.dev/docs/api/app-home/apis/app): a Promise of the app's extensions,
    // each `{ handle, type, activations: [{ target }] }`, as the emulated admin says they are placed.
    app: {
      extensions: function () {
        return window.__kinshipOriginalFetch(frameOrigin + "/app-extensions?shop=" + encodeURIComponent(shop || "")).then(function (response) {
          if (!response.ok) throw new Error("The emulated admin could not list extensions (" + response.status + ")");
          return response.json();
        });
      },
    },
  };

  var reload = params.get("shopify-reload");
  if (reload) {
    idToken().then(function (token) {
      var target = new URL(reload);
      target.searchParams.set("id_token", token);
      window.location.replace(target.toString());
    });
  }
})();

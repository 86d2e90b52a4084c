// The emulated admin's sidebar entries for the embedded app, as Shopify's admin draws them from the app's
// <ui-nav-menu>: the App Bridge stand-in inside the iframe posts the menu's links and the app's current
// path; this draws them under the app's name and highlights the page that is open. A click navigates
// the app inside its iframe (the stand-in follows the app's own link), as the admin does.
(function () {
  var list = document.getElementById("app-nav-items");
  var home = document.getElementById("app-nav-home");
  var frame = document.getElementById("app-iframe");
  if (!list || !home || !frame) return;
  // Links point at the admin's own URL for each page (/store/<shop>/apps/kinship/customers).
  var base = list.getAttribute("data-admin-base") || "";
  function adminHref(appHref) {
    var url = new URL(appHref, window.location.href);
    var search = new URLSearchParams();
    if (url.searchParams.get("locale")) search.set("locale", url.searchParams.get("locale"));
    return base + url.pathname.replace(/^\/app/, "") + (search.toString() ? "?" + search.toString() : "");
  }

  function activeHref(items, path) {
    var best = null;
    items.forEach(function (item) {
      var itemPath = new URL(item.href, window.location.href).pathname;
      if (path === itemPath || path.indexOf(itemPath + "/") === 0) {
        if (!best || itemPath.length > new URL(best, window.location.href).pathname.length) best = item.href;
      }
    });
    return best;
  }

  function setCurrent(link, current) {
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }

  function navigate(href) {
    return function (event) {
      event.preventDefault();
      frame.contentWindow.postMessage({ kinship: "navigate", href: href }, window.location.origin);
    };
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || data.kinship !== "nav" || !Array.isArray(data.items)) return;
    var homeItem = data.items.find(function (item) {
      return item.rel === "home";
    });
    var items = data.items.filter(function (item) {
      return item !== homeItem;
    });
    var current = activeHref(items, data.path);
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = adminHref(item.href);
      link.textContent = item.label;
      link.addEventListener("click", navigate(item.href));
      setCurrent(link, item.href === current);
      li.appendChild(link);
      list.appendChild(li);
    });
    if (homeItem) {
      home.href = adminHref(homeItem.href);
      home.onclick = navigate(homeItem.href);
    }
    setCurrent(home, !current && Boolean(homeItem));
  });
})();

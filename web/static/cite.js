// 引用清单 with JavaScript: “加入引用清单” works without leaving the page, the list page's edits without
// reloading it. The list is kept in localStorage and in the cookie the server reads for the same links
// when JavaScript is off (web/cite.py), so both ways of adding continue one list.
"use strict";

(function () {
  const KEY = "kb-cite";
  const COOKIE = "cite";
  const MAX = 50;                 // kb.cite.MAX_ITEMS
  const COOKIE_MAX = 4000;        // web/cite.py COOKIE_MAX: browsers drop longer cookies
  const COOKIE_DAYS = 90;

  function storageWorks() {
    try {
      localStorage.setItem(KEY + "-probe", "1");
      localStorage.removeItem(KEY + "-probe");
      return true;
    } catch (e) {
      return false;
    }
  }
  // without storage the links are left to the server, which keeps the list in its cookie
  if (!storageWorks()) return;

  function load() {
    try {
      const list = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(list) ? list.filter((r) => typeof r === "string" && r) : [];
    } catch (e) {
      return [];
    }
  }

  function save(list) {
    localStorage.setItem(KEY, JSON.stringify(list));
    const value = list.map(encodeURIComponent).join("|");
    if (!value) {
      document.cookie = `${COOKIE}=; path=/; max-age=0; SameSite=Lax`;
    } else if (value.length <= COOKIE_MAX) {
      document.cookie = `${COOKIE}=${value}; path=/; max-age=${COOKIE_DAYS * 86400}; SameSite=Lax`;
    }
    showCount(list);
  }

  function listUrl(list) {
    const pairs = list.length ? list.map((r) => "c=" + encodeURIComponent(r).replace(/%2F/g, "/")) : ["c="];
    return "/cite?" + pairs.join("&");
  }

  // the header's link to the list, while the list has anything in it
  function showCount(list) {
    const nav = document.querySelector("header.site nav ul");
    if (!nav) return;
    let item = nav.querySelector("li.cite-nav");
    if (!list.length) {
      if (item) item.remove();
      return;
    }
    if (!item) {
      item = document.createElement("li");
      item.className = "cite-nav";
      item.appendChild(document.createElement("a"));
      nav.appendChild(item);
    }
    const link = item.firstChild;
    link.href = listUrl(list);
    link.textContent = `引用清单（${list.length}）`;
    if (location.pathname === "/cite") link.setAttribute("aria-current", "page");
  }

  // ---- the “加入引用清单” controls of results, clause and document pages

  function markControls(list) {
    document.querySelectorAll("a.cite-add[data-ref]").forEach((control) => {
      if (!control.dataset.label) control.dataset.label = control.textContent.trim();
      const added = list.includes(control.dataset.ref);
      control.setAttribute("role", "button");
      control.setAttribute("aria-pressed", added ? "true" : "false");
      control.textContent = added ? "✓ 已加入引用清单" : control.dataset.label;
      control.title = added ? "再点一次从引用清单中移出" : "";
    });
  }

  function statusFor(control) {
    let status = control.parentElement.querySelector(".cite-status");
    if (!status) {
      status = document.createElement("span");
      status.className = "cite-status";
      status.setAttribute("role", "status");
      control.after(status);
    }
    return status;
  }

  function toggle(control) {
    const ref = control.dataset.ref;
    const list = load();
    const status = statusFor(control);
    status.textContent = "";
    if (list.includes(ref)) {
      list.splice(list.indexOf(ref), 1);
      status.append(`已移出，清单还有 ${list.length} 条`);
    } else if (list.length >= MAX) {
      status.append(`引用清单最多 ${MAX} 条，已满，没有加入。`);
      return;
    } else {
      list.push(ref);
      status.append(`已加入，清单共 ${list.length} 条 · `);
      const link = document.createElement("a");
      link.href = listUrl(list);
      link.textContent = "查看引用清单";
      status.append(link);
    }
    save(list);
    markControls(list);
  }

  // ---- the list page

  function enhance(root) {
    root.querySelectorAll("button[data-cite-copy], button.print").forEach((b) => { b.hidden = false; });
  }

  function pageRefs(root) {
    try {
      return JSON.parse(root.dataset.refs || "[]");
    } catch (e) {
      return [];
    }
  }

  function focusAfter(root, ref, action) {
    const item = ref && root.querySelector(`li.cite-item[data-ref="${CSS.escape(ref)}"]`);
    const target = action === "up" || action === "down"
      ? item && (item.querySelector(`[data-cite-nav="${action}"]`) || item.querySelector("[data-cite-nav]"))
      : root.querySelector("h1");
    (target || root.querySelector("h1")).focus();
  }

  function edit(link) {
    const root = document.getElementById("cite-page");
    const item = link.closest("li.cite-item");
    const ref = item ? item.dataset.ref : "";
    const action = link.dataset.citeNav;
    fetch(link.href, { headers: { Accept: "text/html" } })
      .then((response) => (response.ok ? response.text() : Promise.reject(new Error(String(response.status)))))
      .then((html) => {
        const fresh = new DOMParser().parseFromString(html, "text/html");
        const page = fresh.getElementById("cite-page");
        if (!page) throw new Error("no list in the answer");
        root.replaceWith(page);
        document.title = fresh.title;
        history.replaceState(null, "", link.href);
        enhance(page);
        save(pageRefs(page));
        focusAfter(page, ref, action);
      })
      .catch(() => { location.href = link.href; });
  }

  function copyReply(button) {
    const source = document.getElementById(button.dataset.citeCopy);
    const status = button.parentElement.querySelector(".copy-status");
    copyText(source.textContent).then(
      () => { status.textContent = "已复制到剪贴板"; },
      () => { status.textContent = "无法自动复制，请选中上面的文字后按 Ctrl+C 复制"; }
    );
  }

  document.addEventListener("click", (event) => {
    const target = event.target.closest("a.cite-add[data-ref], #cite-page a[data-cite-nav], #cite-page button");
    if (!target || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (target.matches("a.cite-add")) {
      event.preventDefault();
      toggle(target);
    } else if (target.matches("a[data-cite-nav]")) {
      event.preventDefault();
      edit(target);
    } else if (target.matches("button[data-cite-copy]")) {
      copyReply(target);
    } else if (target.matches("button.print")) {
      window.print();
    }
  });

  function start() {
    const root = document.getElementById("cite-page");
    if (root) {
      if (new URLSearchParams(location.search).has("c")) {
        // the address is the list: opening one (bookmarked, shared) makes it the list being kept
        save(pageRefs(root));
      } else if (load().length) {
        location.replace(listUrl(load()));
        return;
      }
      enhance(root);
    }
    const list = load();
    showCount(list);
    markControls(list);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

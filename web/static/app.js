// Copy buttons: shown only when this script runs, so without JavaScript the citation is plain selectable text.
"use strict";

function copyWithSelection(text) {
  // for browsers without the asynchronous clipboard (or outside a secure context)
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let done = false;
  try {
    done = document.execCommand("copy");
  } catch (e) {
    done = false;
  }
  area.remove();
  return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
}

function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text).catch(() => copyWithSelection(text));
  }
  return copyWithSelection(text);
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    const source = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector(".copy-status");
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      copyText(source.textContent.trim()).then(
        () => { status.textContent = "已复制到剪贴板"; },
        () => { status.textContent = "无法自动复制，请选中上面的文字后按 Ctrl+C 复制"; }
      );
    });
  });
});

// Print buttons (hidden without this script: the browser's own print command does the same) and the
// print header's date, which is the day of printing, not of loading.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button.print").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
});
window.addEventListener("beforeprint", () => {
  const now = new Date();
  const day = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
  document.querySelectorAll(".printed-on").forEach((el) => { el.textContent = day; });
});

// The filter panel of the results page: open where it sits beside the results, and after a filter link
// brought the reader back to it (#filters), with focus on the link they followed, so they can go on
// filtering from where they were.
const WIDE = window.matchMedia("(min-width: 48rem)");
const FOCUS_KEY = "kb-facet-focus";

document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("filters");
  if (!panel) return;
  if (WIDE.matches || location.hash === "#filters") panel.open = true;
  WIDE.addEventListener("change", (e) => { if (e.matches) panel.open = true; });
  // the 筛选 link above the results jumps here: a jump to a folded panel unfolds it
  window.addEventListener("hashchange", () => { if (location.hash === "#filters") panel.open = true; });
  panel.addEventListener("click", (e) => {
    const link = e.target.closest("a.facet");
    if (link) sessionStorage.setItem(FOCUS_KEY, link.dataset.facet);
  });
  const wanted = sessionStorage.getItem(FOCUS_KEY);
  sessionStorage.removeItem(FOCUS_KEY);
  if (location.hash !== "#filters" || wanted === null) return;
  const again = Array.from(panel.querySelectorAll("a.facet")).find((a) => a.dataset.facet === wanted);
  // after load: the browser's own jump to #filters comes first and would take the focus away again
  window.addEventListener("load", () => (again || panel.querySelector("summary")).focus());
});

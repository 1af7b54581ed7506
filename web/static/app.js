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

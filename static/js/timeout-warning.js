// The GOV.UK timeout warning pattern: a modal dialog a few minutes before the session expires,
// so nobody loses what they are typing. "Stay signed in" asks the server to extend the session;
// without JavaScript the session still expires after the idle time and the sign-in page says so.

export function initTimeoutWarning(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const timeout = Number(dialog.dataset.timeoutSeconds) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector("[data-countdown]");
  let warnTimer;
  let tickTimer;
  let expiresAt;

  function minutesLeft() {
    const seconds = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  }

  function tick() {
    if (Date.now() >= expiresAt) {
      window.location.href = dialog.dataset.signInUrl + "?next=" + encodeURIComponent(window.location.pathname);
      return;
    }
    countdown.textContent = minutesLeft();
  }

  function schedule() {
    expiresAt = Date.now() + timeout;
    clearTimeout(warnTimer);
    clearInterval(tickTimer);
    warnTimer = setTimeout(() => {
      tick();
      dialog.showModal();
      tickTimer = setInterval(tick, 20000);
    }, Math.max(0, timeout - warning));
  }

  dialog.querySelector("[data-stay-signed-in]").addEventListener("click", async () => {
    const response = await fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      headers: { "X-CSRFToken": dialog.dataset.csrfToken },
      credentials: "same-origin",
    });
    if (response.ok) {
      dialog.close();
      schedule();
    } else {
      window.location.href = dialog.dataset.signInUrl;
    }
  });
  dialog.addEventListener("cancel", (event) => {
    // Escape means "stay signed in", as the pattern expects.
    event.preventDefault();
    dialog.querySelector("[data-stay-signed-in]").click();
  });
  schedule();
}

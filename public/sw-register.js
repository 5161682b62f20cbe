// Asks for config.json early, registers the service worker and tells the app
// (event `mixpay-update-ready`) when a new version is waiting. The app calls
// `mixpayApplyUpdate()` when the cashier taps Reload; nothing reloads by itself.
(function () {
  // config.json asked now rather than once the wasm has arrived and started:
  // on a slow network its round trip overlaps the wasm's download (the app
  // takes this answer once: src/state/provisioning.rs). The catch only keeps
  // a failed fetch from being reported unhandled; the app still sees it fail.
  const config = fetch('config.json', { cache: 'no-store' });
  config.catch(() => {});
  window.mixpayConfigEarly = config;
  if (!('serviceWorker' in navigator)) return;
  let waiting = null;
  let applying = false;
  const announce = (worker) => {
    waiting = worker;
    window.dispatchEvent(new Event('mixpay-update-ready'));
  };
  window.mixpayUpdateWaiting = () => waiting !== null;
  window.mixpayApplyUpdate = () => {
    if (!waiting) return;
    applying = true;
    waiting.postMessage({ type: 'SKIP_WAITING' });
  };
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Only the switch the cashier asked for reloads; the first install does not.
    if (applying) location.reload();
  });
  window.addEventListener('load', async () => {
    let registration;
    try {
      registration = await navigator.serviceWorker.register('sw.js');
    } catch (error) {
      console.warn('service worker not registered', error);
      return;
    }
    // A browser whose policy blocks service workers answers nothing.
    if (!registration) return;
    if (registration.waiting && navigator.serviceWorker.controller) announce(registration.waiting);
    registration.addEventListener('updatefound', () => {
      const worker = registration.installing;
      worker.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) announce(worker);
      });
    });
    // A tablet stays open for days: look for a new version now and then.
    const check = () => registration.update().catch(() => {});
    setInterval(check, 30 * 60 * 1000);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') check();
    });
  });
})();

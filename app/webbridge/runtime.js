// runtime.js gives a browser page what the Unmask window gives it: the bound
// Go methods under window.go and the event bus and helpers under
// window.runtime, shaped like the Wails v2 runtime so that the generated
// wailsjs code and frontend/src/api run unchanged. The server replaces the
// marker at the end with the token, the bindings and the environment.
(function (config) {
  "use strict";

  function noop() {}
  function resolved(v) {
    return Promise.resolve(v);
  }

  // Events. Listeners behave as in Wails: maxCallbacks -1 (or 0) means
  // forever, callbacks get the event's data spread as arguments, the newest
  // listener is called first, and events nobody listens to are dropped.
  var listeners = {};

  function Listener(eventName, callback, maxCallbacks) {
    var self = this;
    this.eventName = eventName;
    this.maxCallbacks = maxCallbacks || -1;
    // Callback returns true when the listener has used up its callbacks.
    this.Callback = function (data) {
      callback.apply(null, data);
      if (self.maxCallbacks === -1) {
        return false;
      }
      self.maxCallbacks -= 1;
      return self.maxCallbacks === 0;
    };
  }

  function listenerOff(listener) {
    var list = listeners[listener.eventName];
    if (list === undefined) {
      return;
    }
    list = list.filter(function (l) {
      return l !== listener;
    });
    if (list.length === 0) {
      delete listeners[listener.eventName];
    } else {
      listeners[listener.eventName] = list;
    }
  }

  function notify(message) {
    var snapshot = (listeners[message.name] || []).slice();
    for (var i = snapshot.length - 1; i >= 0; i -= 1) {
      if (snapshot[i].Callback(message.data)) {
        listenerOff(snapshot[i]);
      }
    }
  }

  function EventsOnMultiple(eventName, callback, maxCallbacks) {
    listeners[eventName] = listeners[eventName] || [];
    var listener = new Listener(eventName, callback, maxCallbacks);
    listeners[eventName].push(listener);
    return function () {
      listenerOff(listener);
    };
  }

  function EventsOff(eventName) {
    for (var i = 0; i < arguments.length; i += 1) {
      delete listeners[arguments[i]];
    }
  }

  // EventsEmit reaches the page's own listeners, as in Wails; no Go code
  // listens to page events, so nothing is sent to the server.
  function EventsEmit(eventName) {
    notify({ name: eventName, data: Array.prototype.slice.call(arguments, 1) });
  }

  // The event stream. Calls wait until it is open (at most openWaitMs), so
  // events a call causes reach listeners that exist when it is made.
  var openWaitMs = 2000;
  var markOpen;
  var opened = new Promise(function (resolve) {
    markOpen = resolve;
  });
  var streamReady = Promise.race([
    opened,
    new Promise(function (resolve) {
      setTimeout(resolve, openWaitMs);
    }),
  ]);
  var retryMs = 250;

  function connect() {
    var source = new EventSource(config.eventsURL);
    source.onopen = function () {
      retryMs = 250;
      markOpen();
    };
    source.onmessage = function (e) {
      var message;
      try {
        message = JSON.parse(e.data);
      } catch (err) {
        console.error("webbridge: bad event", e.data, err);
        return;
      }
      notify(message);
    };
    source.onerror = function () {
      // The browser reconnects by itself after a network error; after a
      // refusal (such as a restarted server) it gives up, so start again.
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
      }
    };
  }
  connect();

  // Calls. A Go error rejects with an Error carrying its message, as Wails
  // v2.16 does.
  var callCount = 0;

  function call(name, args, timeout) {
    return new Promise(function (resolve, reject) {
      callCount += 1;
      var id = name + "-" + callCount;
      var timer;
      if (timeout > 0) {
        timer = setTimeout(function () {
          reject(Error("Call to " + name + " timed out. Request ID: " + id));
        }, timeout);
      }
      streamReady
        .then(function () {
          return fetch(config.callURL, {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-Bridge-Token": config.token },
            body: JSON.stringify({ name: name, args: args }),
            cache: "no-store",
            credentials: "same-origin",
          });
        })
        .then(function (res) {
          if (!res.ok) {
            return res.text().then(function (text) {
              throw new Error("webbridge: " + name + ": HTTP " + res.status + ": " + text.trim());
            });
          }
          return res.json();
        })
        .then(
          function (message) {
            clearTimeout(timer);
            if (message.error) {
              reject(new Error(message.error));
            } else {
              resolve(message.result);
            }
          },
          function (err) {
            clearTimeout(timer);
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
    });
  }

  var go = {};
  Object.keys(config.bindings).forEach(function (pkg) {
    go[pkg] = go[pkg] || {};
    Object.keys(config.bindings[pkg]).forEach(function (struct) {
      go[pkg][struct] = go[pkg][struct] || {};
      config.bindings[pkg][struct].forEach(function (method) {
        var timeout = 0;
        var fn = function () {
          return call(pkg + "." + struct + "." + method, Array.prototype.slice.call(arguments), timeout);
        };
        fn.setTimeout = function (t) {
          timeout = t;
        };
        fn.getTimeout = function () {
          return timeout;
        };
        go[pkg][struct][method] = fn;
      });
    });
  });
  window.go = go;

  function screenInfo() {
    var size = { width: window.screen.width, height: window.screen.height };
    return {
      isCurrent: true,
      isPrimary: true,
      width: size.width,
      height: size.height,
      size: size,
      physicalSize: size,
    };
  }

  function reload() {
    window.location.reload();
  }

  window.runtime = {
    LogPrint: function (m) { console.log(m); },
    LogTrace: function (m) { console.debug(m); },
    LogDebug: function (m) { console.debug(m); },
    LogInfo: function (m) { console.info(m); },
    LogWarning: function (m) { console.warn(m); },
    LogError: function (m) { console.error(m); },
    LogFatal: function (m) { console.error(m); },

    EventsOnMultiple: EventsOnMultiple,
    EventsOn: function (eventName, callback) {
      return EventsOnMultiple(eventName, callback, -1);
    },
    EventsOnce: function (eventName, callback) {
      return EventsOnMultiple(eventName, callback, 1);
    },
    EventsOff: EventsOff,
    EventsOffAll: function () {
      Object.keys(listeners).forEach(function (name) {
        delete listeners[name];
      });
    },
    EventsEmit: EventsEmit,

    WindowReload: reload,
    WindowReloadApp: reload,
    WindowSetAlwaysOnTop: noop,
    WindowSetSystemDefaultTheme: noop,
    WindowSetLightTheme: noop,
    WindowSetDarkTheme: noop,
    WindowCenter: noop,
    WindowSetTitle: function (title) {
      document.title = title;
    },
    WindowFullscreen: function () {
      var el = document.documentElement;
      if (el.requestFullscreen) {
        el.requestFullscreen().catch(noop);
      }
    },
    WindowUnfullscreen: function () {
      if (document.fullscreenElement && document.exitFullscreen) {
        document.exitFullscreen().catch(noop);
      }
    },
    WindowIsFullscreen: function () {
      return resolved(!!document.fullscreenElement);
    },
    WindowGetSize: function () {
      return resolved({ w: window.innerWidth, h: window.innerHeight });
    },
    WindowSetSize: noop,
    WindowSetMaxSize: noop,
    WindowSetMinSize: noop,
    WindowSetPosition: noop,
    WindowGetPosition: function () {
      return resolved({ x: window.screenX, y: window.screenY });
    },
    WindowHide: noop,
    WindowShow: noop,
    WindowMaximise: noop,
    WindowToggleMaximise: noop,
    WindowUnmaximise: noop,
    WindowIsMaximised: function () { return resolved(false); },
    WindowMinimise: noop,
    WindowUnminimise: noop,
    WindowIsMinimised: function () { return resolved(false); },
    WindowIsNormal: function () { return resolved(true); },
    WindowSetBackgroundColour: noop,
    ScreenGetAll: function () {
      return resolved([screenInfo()]);
    },

    BrowserOpenURL: function (url) {
      window.open(url, "_blank", "noopener");
    },
    Environment: function () {
      return resolved(config.environment);
    },
    Quit: noop,
    Hide: noop,
    Show: noop,

    ClipboardGetText: function () {
      if (navigator.clipboard && navigator.clipboard.readText) {
        return navigator.clipboard.readText().catch(function () {
          return "";
        });
      }
      return resolved("");
    },
    // ClipboardSetText resolves true once the text is on the clipboard and
    // false when the browser refuses (no permission, page not focused).
    ClipboardSetText: function (text) {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        return navigator.clipboard.writeText(String(text)).then(
          function () { return true; },
          function () { return false; },
        );
      }
      return resolved(false);
    },

    OnFileDrop: noop,
    OnFileDropOff: noop,
    CanResolveFilePaths: function () { return false; },
    ResolveFilePaths: noop,

    InitializeNotifications: function () { return resolved(); },
    CleanupNotifications: function () { return resolved(); },
    IsNotificationAvailable: function () { return resolved(false); },
    RequestNotificationAuthorization: function () { return resolved(false); },
    CheckNotificationAuthorization: function () { return resolved(false); },
    SendNotification: function () { return resolved(); },
    SendNotificationWithActions: function () { return resolved(); },
    RegisterNotificationCategory: function () { return resolved(); },
    RemoveNotificationCategory: function () { return resolved(); },
    RemoveAllPendingNotifications: function () { return resolved(); },
    RemovePendingNotification: function () { return resolved(); },
    RemoveAllDeliveredNotifications: function () { return resolved(); },
    RemoveDeliveredNotification: function () { return resolved(); },
    RemoveNotification: function () { return resolved(); },
  };
})(/*CONFIG*/);

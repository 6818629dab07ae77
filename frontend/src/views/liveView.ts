// liveView.ts is the screen the interviewer watches during a live
// interview (or a local camera session): the candidate's video with the
// analysis drawn over it, the risk, every signal now and over the last
// minute, the capture device, audio and lip sync, challenges and marks.
//
// Nothing here waits on analysis: events update the numbers as they come,
// the picture refreshes at the pace images load, and the plot redraws at
// most once per animation frame.

import { stopCamera } from "../api/cameras";
import { onLiveOverlay, onLiveState } from "../api/events";
import { endInterview, listSessions } from "../api/sessions";
import { SIGNALS, type LiveState, type Overlay } from "../api/types";
import type { AppContext, Unmount } from "../app/context";
import type { Route } from "../app/router";
import { CHALLENGES, createChallengePanel } from "../components/challengePanel";
import { createDevicePanel } from "../components/devicePanel";
import { interviewDetails } from "../components/interviewCard";
import { button, dpr, el, panel } from "../components/dom";
import { showError } from "../components/errorBanner";
import { formatOffset, formatScore } from "../components/format";
import { createMarkForm } from "../components/markForm";
import { createRiskGauge } from "../components/riskGauge";
import { createSignalBars } from "../components/signalBars";
import { createVideoStage } from "../components/videoStage";
import { clamp01 } from "../overlay/colors";
import { LatencyWindow, publishToWindow } from "../overlay/latency";
import { liveRange, SignalHistory } from "../overlay/plot";
import { drawLivePlot } from "../overlay/plotDraw";
import { interviewById } from "../stores/recent";
import { onThemeChange, palette } from "../theme/theme";
import { openAndReview, reviewPath } from "./openRecording";

/** PLOT_WINDOW_MS is the span of the scrolling plot. */
export const PLOT_WINDOW_MS = 60_000;

/** mountLiveView builds the live screen of session route.id. */
export function mountLiveView(root: HTMLElement, route: Route, ctx: AppContext): Unmount {
  const id = route.id;
  let isCamera = route.params.kind === "camera";
  const cleanups: Array<() => void> = [];

  // Header: title, connection state, end button.
  const title = el("h1", { text: route.params.title ?? (isCamera ? "Camera session" : "Live interview") });
  const state = el("span", { id: "live-state", cls: "state-badge", text: "Waiting for the candidate" });
  state.dataset.state = "waiting";
  const stateMessage = el("span", { cls: "muted small" });
  const afterEnd = el("span");
  const end = button(isCamera ? "Stop camera" : "End interview", () => endSession(), { id: "end-session", cls: "ghost danger" });
  const header = el("div", { cls: "screen-head" }, title, state, stateMessage, el("span", { cls: "spacer" }), afterEnd, end);

  const iv = interviewById(id);
  const join = iv === undefined ? null : el("details", { cls: "join" }, el("summary", { text: "How the candidate joins" }), ...interviewDetails(iv));

  // Video.
  const latency = new LatencyWindow(100, publishToWindow);
  publishToWindow([]);
  const latencyText = el("span", { id: "display-latency", cls: "mono", text: "—" });
  const stage = createVideoStage("live-player", (_o, arrivedAt, paintedAt) => {
    latency.add(paintedAt - arrivedAt);
    const m = latency.median();
    latencyText.textContent = Number.isFinite(m) ? `${Math.round(m)} ms` : "—";
    latencyText.dataset.median = Number.isFinite(m) ? m.toFixed(1) : "";
  });
  cleanups.push(() => stage.dispose());
  const landmarksBtn = button("Landmarks: off", () => toggleLandmarks(), { id: "toggle-landmarks", title: "Shortcut: L" });
  const toggleLandmarks = (): void => {
    stage.setLandmarks(!stage.landmarks());
    landmarksBtn.textContent = `Landmarks: ${stage.landmarks() ? "on" : "off"}`;
    landmarksBtn.setAttribute("aria-pressed", String(stage.landmarks()));
  };

  // Plot of the last minute.
  const plot = el("canvas", { id: "live-plot", cls: "plot" });
  plot.setAttribute("role", "img");
  plot.setAttribute("aria-label", "Signal scores over the last 60 seconds");
  const history = new SignalHistory(PLOT_WINDOW_MS, 4096);
  let plotQueued = false;
  const drawPlot = (): void => {
    if (plotQueued) {
      return;
    }
    plotQueued = true;
    requestAnimationFrame(() => {
      plotQueued = false;
      drawLivePlot(plot, history.samples(), liveRange(history.newestMs(), PLOT_WINDOW_MS), palette(), dpr());
    });
  };
  cleanups.push(onThemeChange(drawPlot));

  // Numbers.
  const gauge = createRiskGauge();
  const bars = createSignalBars();
  const audioFill = el("div", { cls: "bar-fill level-fill-none" });
  const audio = el("div", { id: "audio-meter", cls: "bar-track" }, audioFill);
  audio.setAttribute("role", "meter");
  audio.setAttribute("aria-label", "Audio level");
  audio.setAttribute("aria-valuemin", "0");
  audio.setAttribute("aria-valuemax", "1");
  const lip = el("span", { id: "lip-sync", cls: "mono", text: "—" });
  const dropped = el("span", { id: "dropped-count", cls: "mono", text: "0" });
  const pipeline = el("span", { id: "pipeline-latency", cls: "mono", text: "—" });
  const stats = panel(
    "Stream",
    { id: "stream-stats" },
    el("div", { cls: "stat" }, el("span", { cls: "label", text: "Audio" }), audio),
    el("div", { cls: "stat" }, el("span", { cls: "label", text: "Lip-sync offset" }), lip),
    el("div", { cls: "stat" }, el("span", { cls: "label", text: "Dropped frames" }), dropped),
    el("div", { cls: "stat" }, el("span", { cls: "label", text: "Analysis latency" }), pipeline),
    el("div", { cls: "stat" }, el("span", { cls: "label", text: "Display latency (median)" }), latencyText),
  );

  const devices = createDevicePanel();
  const challenges = createChallengePanel(id);
  cleanups.push(() => challenges.dispose());
  const marks = createMarkForm(id);

  root.append(
    header,
    ...(join === null ? [] : [join]),
    el(
      "div",
      { cls: "live-grid" },
      el(
        "div",
        { cls: "live-main" },
        stage.el,
        el("div", { cls: "toolbar" }, landmarksBtn),
        panel("Last 60 seconds", { id: "live-plot-panel" }, plot, el("p", { cls: "muted small", text: "Line colours match the signal list." })),
      ),
      el(
        "div",
        { cls: "live-side" },
        panel("Risk", {}, gauge.el),
        panel("Signals", {}, bars.el),
        stats,
        devices.el,
        challenges.el,
        marks.el,
      ),
    ),
  );

  const showOverlay = (o: Overlay): void => {
    const arrived = performance.now();
    if (o.source === "camera") {
      isCamera = true;
    }
    stage.show(o, arrived);
    gauge.update(o.risk, o.level);
    bars.update(o.signals);
    const a = clamp01(o.audioLevel);
    audioFill.style.width = `${(a * 100).toFixed(1)}%`;
    audio.setAttribute("aria-valuenow", a.toFixed(2));
    audio.dataset.level = a.toFixed(2);
    lip.textContent = o.lipOffsetMs === null ? "—" : `${formatOffset(o.lipOffsetMs)} (confidence ${formatScore(o.lipConfidence)})`;
    dropped.textContent = String(o.dropped);
    pipeline.textContent = `${Math.round(o.latencyMs)} ms`;
    const byName = new Map(o.signals.map((s) => [s.name, s.score]));
    history.add({ timeMs: o.timeMs, scores: SIGNALS.map((n) => byName.get(n) ?? Number.NaN) });
    drawPlot();
  };

  const showState = (s: LiveState): void => {
    state.dataset.state = s.state;
    state.textContent = s.state === "waiting" ? "Waiting for the candidate" : s.state === "connected" ? "Connected" : "Ended";
    stateMessage.textContent = s.message;
    devices.update(s);
    if (s.state === "ended") {
      ended();
    }
  };

  cleanups.push(
    onLiveOverlay((o) => {
      if (o.id === id && (o.source === "live" || o.source === "camera")) {
        showOverlay(o);
      }
    }),
    onLiveState((s) => {
      if (s.id === id) {
        showState(s);
      }
    }),
  );

  let confirmTimer: ReturnType<typeof setTimeout> | null = null;
  cleanups.push(() => {
    if (confirmTimer !== null) {
      clearTimeout(confirmTimer);
    }
  });
  const endSession = (): void => {
    if (end.dataset.confirm !== "true") {
      end.dataset.confirm = "true";
      end.textContent = "Click again to end";
      confirmTimer = setTimeout(() => {
        end.dataset.confirm = "false";
        end.textContent = isCamera ? "Stop camera" : "End interview";
      }, 4000);
      return;
    }
    end.disabled = true;
    (isCamera ? stopCamera(id) : endInterview(id))
      .then(() => ended())
      .catch((err: unknown) => {
        end.disabled = false;
        showError(err, isCamera ? "Could not stop the camera" : "Could not end the interview");
      });
  };

  let endedShown = false;
  const ended = (): void => {
    end.hidden = true;
    state.dataset.state = "ended";
    state.textContent = "Ended";
    if (endedShown) {
      return;
    }
    endedShown = true;
    const review = button("Review the recording", () => {
      review.disabled = true;
      listSessions()
        .then((all) => {
          const s = all.find((x) => x.id === id);
          const path = s === undefined ? "" : reviewPath(s);
          if (path === "") {
            throw new Error("this session has no recording on disk");
          }
          return openAndReview(ctx, path);
        })
        .catch((err: unknown) => {
          review.disabled = false;
          showError(err, "Could not open the recording");
        });
    }, { id: "review-recording", cls: "primary" });
    afterEnd.replaceChildren(review);
  };

  // The title comes from the stored session when there is one; without it
  // the screen still works, so a failure here is not shown.
  listSessions()
    .then((all) => {
      const s = all.find((x) => x.id === id);
      if (s !== undefined) {
        if (s.title !== "") {
          title.textContent = s.title;
        }
        if (s.kind === "camera" && !isCamera) {
          isCamera = true;
          end.textContent = "Stop camera";
        }
      } else if (iv !== undefined && iv.title !== "") {
        title.textContent = iv.title;
      }
    })
    .catch(() => {});

  cleanups.push(
    ctx.shortcuts.add([
      { key: "m", description: "Write a note and mark this moment", run: () => marks.focus() },
      { key: "l", description: "Show or hide the face landmarks", run: toggleLandmarks },
      ...CHALLENGES.map((c) => ({ key: c.key, description: `Challenge: ${c.label.toLowerCase()}`, run: () => challenges.start(c.kind) })),
    ]),
  );

  return () => {
    for (const c of cleanups.reverse()) {
      c();
    }
  };
}

// reviewView.ts replays an analysed recording: the frames with their
// overlay, played at the file's frame rate from batches of per-frame
// analysis, the signals of the frame on screen, a timeline of every signal
// over the whole file, thumbnails of the risky stretches, and the report
// exports. Analysis runs in the background; the screen fills in as
// review:progress and review:window events arrive.

import { onReviewProgress, onReviewWindow } from "../api/events";
import {
  closeRecording,
  exportReport,
  fetchOverlays,
  fetchWindows,
  openRecording,
  reviewFrameURL,
} from "../api/review";
import type { ExportKind, Overlay, ReviewInfo, ReviewProgress, RiskWindow } from "../api/types";
import type { AppContext, Unmount } from "../app/context";
import type { Route } from "../app/router";
import { button, dpr, el, panel } from "../components/dom";
import { showError } from "../components/errorBanner";
import { errorMessage, formatClock, formatScore } from "../components/format";
import { levelBadge } from "../components/levelBadge";
import { createRiskGauge } from "../components/riskGauge";
import { createSignalBars } from "../components/signalBars";
import { createVideoStage } from "../components/videoStage";
import { xToTime } from "../overlay/plot";
import { drawTimeline, plotArea } from "../overlay/plotDraw";
import { OverlayCache } from "../stores/overlayCache";
import { rememberReview, reviewById } from "../stores/recent";
import { evidenceWindows, frameAtTime, mergeWindow, timeOfFrame, windowFrame } from "../stores/windows";
import { onThemeChange, palette } from "../theme/theme";

/** mountReviewView builds the review screen of recording route.id, reopening route.params.path if needed. */
export function mountReviewView(root: HTMLElement, route: Route, ctx: AppContext): Unmount {
  let disposed = false;
  let inner: Unmount | null = null;
  const info = reviewById(route.id);
  const path = route.params.path ?? "";
  if (info !== undefined) {
    inner = buildReview(root, info, ctx);
  } else if (path !== "") {
    const note = el("p", { cls: "muted", text: `Opening ${path}…` });
    root.append(el("h1", { text: "Review" }), note);
    openRecording(path)
      .then((opened) => {
        if (disposed) {
          return;
        }
        rememberReview(opened);
        ctx.replace({ screen: "review", id: opened.id, params: { path } });
        root.replaceChildren();
        inner = buildReview(root, opened, ctx);
      })
      .catch((err: unknown) => {
        note.textContent = `Could not open ${path}: ${errorMessage(err)}`;
        showError(err, "Could not open the recording");
      });
  } else {
    const back = el("a", { text: "Open a recording from the start screen" });
    back.href = "#/start";
    root.append(el("h1", { text: "Review" }), el("p", { cls: "muted", text: "This recording is not open." }), back);
  }
  return () => {
    disposed = true;
    inner?.();
  };
}

function buildReview(root: HTMLElement, info: ReviewInfo, ctx: AppContext): Unmount {
  const id = info.id;
  const cleanups: Array<() => void> = [];
  const fps = info.fps > 0 ? info.fps : 25;
  let total = info.frames;
  let analysed = -1;
  let finished = false;
  const durationMs = (): number => (info.durationMs > 0 ? info.durationMs : timeOfFrame(total, fps));
  const lastFrame = (): number => (total > 0 ? total - 1 : Number.POSITIVE_INFINITY);
  /** available is the number of frames that can be shown now. */
  const available = (): number =>
    finished || analysed < 0 ? (total > 0 ? total : Number.POSITIVE_INFINITY) : analysed;

  const cache = new OverlayCache((from, count) => fetchOverlays(id, from, count), total);

  // Header.
  const closeBtn = button("Close recording", () => {
    closeBtn.disabled = true;
    closeRecording(id)
      .then(() => ctx.navigate({ screen: "start" }))
      .catch((err: unknown) => {
        closeBtn.disabled = false;
        showError(err, "Could not close the recording");
      });
  }, { id: "close-review", cls: "ghost" });
  const meta = [
    formatClock(durationMs()),
    info.width > 0 ? `${info.width}×${info.height}` : "",
    `${fps.toFixed(fps % 1 === 0 ? 0 : 2)} fps`,
    total > 0 ? `${total} frames` : "",
  ].filter((x) => x !== "");
  const header = el(
    "div",
    { cls: "screen-head" },
    el("h1", { text: info.title === "" ? "Review" : info.title }),
    el("span", { cls: "muted small", text: meta.join(" · ") }),
    el("span", { cls: "spacer" }),
    closeBtn,
  );
  const pathLine = el("p", { cls: "muted small path", text: info.path });

  // Progress.
  const bar = el("progress");
  bar.max = 1;
  bar.removeAttribute("value");
  const progressText = el("span", { cls: "muted", text: "Starting the analysis…" });
  const progress = el("div", { id: "review-progress", cls: "review-progress" }, el("strong", { text: "Analysing" }), bar, progressText);
  progress.dataset.finished = "false";
  progress.setAttribute("aria-live", "polite");
  let reportedError = "";
  const renderProgress = (p: ReviewProgress): void => {
    const t = p.total > 0 ? p.total : total;
    progress.dataset.done = String(p.done);
    progress.dataset.total = String(t);
    progress.dataset.finished = String(p.finished);
    if (t > 0) {
      bar.value = Math.min(1, p.done / t);
    }
    if (p.error !== "") {
      progress.dataset.error = p.error;
      progressText.textContent = `Analysis stopped: ${p.error}`;
      if (reportedError !== p.error) {
        reportedError = p.error;
        showError(p.error, "Analysis stopped");
      }
      return;
    }
    if (p.finished) {
      progressText.textContent = "Analysis finished.";
      progress.hidden = true;
      return;
    }
    const pct = t > 0 ? ` (${Math.floor((100 * p.done) / t)}%)` : "";
    progressText.textContent = `${p.done}${t > 0 ? ` of ${t}` : ""} frames${pct}${p.fps > 0 ? ` · ${p.fps.toFixed(0)} frames/s` : ""}`;
  };

  // Player.
  const stage = createVideoStage("review-player");
  cleanups.push(() => stage.dispose());
  const gauge = createRiskGauge();
  const bars = createSignalBars();
  const seek = el("input", { id: "seek", cls: "seek" });
  seek.type = "range";
  seek.min = "0";
  seek.step = "1";
  seek.value = "0";
  seek.max = String(Math.max(0, total - 1));
  seek.setAttribute("aria-label", "Position");
  const time = el("span", { id: "review-time", cls: "mono" });
  const playBtn = button("Play", () => togglePlay(), { id: "play-pause", cls: "primary", title: "Shortcut: Space" });
  const back = button("◀ Frame", () => step(-1), { id: "step-back", title: "Shortcut: ←" });
  const fwd = button("Frame ▶", () => step(1), { id: "step-forward", title: "Shortcut: →" });
  const landmarksBtn = button("Landmarks: off", () => toggleLandmarks(), { id: "toggle-landmarks", title: "Shortcut: L" });
  const toggleLandmarks = (): void => {
    stage.setLandmarks(!stage.landmarks());
    landmarksBtn.textContent = `Landmarks: ${stage.landmarks() ? "on" : "off"}`;
    landmarksBtn.setAttribute("aria-pressed", String(stage.landmarks()));
  };

  // Timeline and evidence.
  const timeline = el("canvas", { id: "timeline-plot", cls: "plot timeline" });
  timeline.setAttribute("role", "img");
  timeline.setAttribute("aria-label", "Signal scores over the whole recording; click to go there");
  const evidence = el("div", { id: "evidence-strip", cls: "evidence-strip" });

  // Export.
  const exportResult = el("p", { id: "export-result", cls: "muted small" });
  exportResult.setAttribute("aria-live", "polite");
  const exportButtons: HTMLButtonElement[] = [];
  const doExport = (kind: ExportKind, what: string): void => {
    for (const b of exportButtons) {
      b.disabled = true;
    }
    exportResult.textContent = `Writing the ${what}…`;
    exportReport(id, kind)
      .then((path) => {
        exportResult.textContent = `${what[0]?.toUpperCase() ?? ""}${what.slice(1)} written to ${path}`;
        exportResult.dataset.path = path;
      })
      .catch((err: unknown) => {
        exportResult.textContent = `The ${what} was not written: ${errorMessage(err)}`;
        showError(err, `Could not write the ${what}`);
      })
      .finally(() => {
        for (const b of exportButtons) {
          b.disabled = false;
        }
      });
  };
  exportButtons.push(
    button("Report (HTML)", () => doExport("html", "HTML report"), { id: "export-html" }),
    button("Report (PDF)", () => doExport("pdf", "PDF report"), { id: "export-pdf" }),
    button("Evidence bundle (ZIP)", () => doExport("zip", "evidence bundle"), { id: "export-zip" }),
  );

  root.append(
    header,
    pathLine,
    progress,
    el(
      "div",
      { cls: "live-grid" },
      el(
        "div",
        { cls: "live-main" },
        stage.el,
        el("div", { cls: "toolbar" }, playBtn, back, fwd, time, landmarksBtn),
        seek,
        panel("Whole recording", { id: "timeline-panel" }, timeline, el("p", { cls: "muted small", text: "Shaded: medium and high risk. Line colours match the signal list. Click to go there." })),
        panel("Evidence", { id: "evidence-panel" }, evidence),
        panel("Export", { id: "export-panel" }, el("div", { cls: "row" }, ...exportButtons), exportResult),
      ),
      el("div", { cls: "live-side" }, panel("Risk", {}, gauge.el), panel("Signals", {}, bars.el)),
    ),
  );

  // Position and display.
  let frame = 0;
  let shownFrame = -1;
  let windows: RiskWindow[] = [];

  const renderTime = (): void => {
    const t = total > 0 ? ` of ${total}` : "";
    time.textContent = `${formatClock(timeOfFrame(frame, fps))} / ${formatClock(durationMs())} · frame ${frame + 1}${t}`;
    time.dataset.frame = String(frame);
  };

  const display = (o: Overlay): void => {
    shownFrame = o.frame;
    stage.show(o);
    gauge.update(o.risk, o.level);
    bars.update(o.signals);
    scheduleTimeline();
  };

  const goTo = (n: number): void => {
    const target = Math.max(0, Math.min(Math.floor(n), lastFrame()));
    frame = target;
    seek.value = String(target);
    renderTime();
    scheduleTimeline();
    const cached = cache.get(target);
    if (cached !== undefined) {
      display(cached);
    }
    cache
      .ensure(target)
      .then((o) => {
        if (frame !== target) {
          return;
        }
        if (o !== undefined) {
          if (o !== cached) {
            display(o); // first load, or revised once the analysis finished
          }
        } else if (cached === undefined) {
          shownFrame = -1;
          stage.clear(target >= available() ? "This part has not been analysed yet." : "No analysis for this frame.");
        }
      })
      .catch((err: unknown) => {
        if (frame === target) {
          pause();
          showError(err, "Could not load the analysis");
        }
      });
  };

  // Playback at the file's frame rate. Frames whose image is still loading
  // are skipped by the stage; frames not analysed yet hold playback.
  let playing = false;
  let clockFrame = 0;
  let clockStart = 0;
  let raf = 0;
  const tick = (now: number): void => {
    if (!playing) {
      return;
    }
    const target = clockFrame + Math.floor(((now - clockStart) * fps) / 1000);
    if (target > lastFrame()) {
      goTo(lastFrame());
      pause();
      return;
    }
    if (target >= available()) {
      clockFrame = frame;
      clockStart = now;
    } else if (target !== frame) {
      goTo(target);
    }
    raf = requestAnimationFrame(tick);
  };
  const play = (): void => {
    if (playing) {
      return;
    }
    if (frame >= lastFrame()) {
      goTo(0);
    }
    playing = true;
    clockFrame = frame;
    clockStart = performance.now();
    playBtn.textContent = "Pause";
    playBtn.dataset.playing = "true";
    raf = requestAnimationFrame(tick);
  };
  const pause = (): void => {
    playing = false;
    cancelAnimationFrame(raf);
    playBtn.textContent = "Play";
    playBtn.dataset.playing = "false";
  };
  const togglePlay = (): void => (playing ? pause() : play());
  const restartClock = (): void => {
    clockFrame = frame;
    clockStart = performance.now();
  };
  const step = (d: number): void => {
    pause();
    goTo(frame + d);
  };
  cleanups.push(pause);

  seek.addEventListener("input", () => {
    goTo(Number(seek.value));
    restartClock();
  });

  // Timeline drawing and seeking.
  let timelineQueued = false;
  function scheduleTimeline(): void {
    if (timelineQueued) {
      return;
    }
    timelineQueued = true;
    requestAnimationFrame(() => {
      timelineQueued = false;
      drawTimeline(timeline, windows, durationMs(), timeOfFrame(frame, fps), palette(), dpr());
    });
  }
  cleanups.push(onThemeChange(scheduleTimeline));
  timeline.addEventListener("click", (e) => {
    const r = timeline.getBoundingClientRect();
    const ratio = dpr();
    const area = plotArea(timeline.width, timeline.height, ratio);
    const t = xToTime((e.clientX - r.left) * ratio, { startMs: 0, endMs: durationMs() }, area);
    goTo(frameAtTime(t, fps, total));
    restartClock();
  });
  if (typeof ResizeObserver === "function") {
    const ro = new ResizeObserver(() => scheduleTimeline());
    ro.observe(timeline);
    cleanups.push(() => ro.disconnect());
  }

  const renderEvidence = (): void => {
    const ev = evidenceWindows(windows);
    if (ev.length === 0) {
      evidence.replaceChildren(el("p", { cls: "muted", text: "No medium or high risk stretches so far." }));
      return;
    }
    evidence.replaceChildren(
      ...ev.map((w) => {
        const img = el("img");
        img.loading = "lazy";
        img.alt = `Frame at ${formatClock(w.startMs)}`;
        img.src = reviewFrameURL(id, windowFrame(w, fps, total));
        const thumb = el(
          "button",
          { cls: "thumb", title: w.reasons.join("\n") },
          img,
          el("span", { cls: "thumb-caption" }, el("span", { cls: "mono", text: formatClock(w.startMs) }), levelBadge(w.level), el("span", { cls: "mono", text: formatScore(w.risk) })),
        );
        thumb.type = "button";
        thumb.dataset.startMs = String(w.startMs);
        thumb.dataset.level = w.level;
        thumb.addEventListener("click", () => {
          goTo(frameAtTime(w.startMs, fps, total));
          restartClock();
        });
        return thumb;
      }),
    );
  };
  let evidenceQueued = false;
  const windowsChanged = (): void => {
    scheduleTimeline();
    if (evidenceQueued) {
      return;
    }
    evidenceQueued = true;
    requestAnimationFrame(() => {
      evidenceQueued = false;
      renderEvidence();
    });
  };

  cleanups.push(
    onReviewProgress((p) => {
      if (p.id !== id) {
        return;
      }
      analysed = p.done;
      finished = p.finished;
      if (p.total > 0 && p.total !== total) {
        total = p.total;
        seek.max = String(Math.max(0, total - 1));
        renderTime();
      }
      const justFinished = p.finished && progress.dataset.finished !== "true";
      cache.setProgress(p.done, p.finished, p.total);
      renderProgress(p);
      if (justFinished || (shownFrame !== frame && frame < available())) {
        goTo(frame);
      }
    }),
    onReviewWindow((e) => {
      if (e.id === id) {
        windows = mergeWindow(windows, e.window);
        windowsChanged();
      }
    }),
    ctx.shortcuts.add([
      { key: "Space", description: "Play or pause", run: togglePlay },
      { key: "ArrowLeft", description: "Previous frame", run: () => step(-1) },
      { key: "ArrowRight", description: "Next frame", run: () => step(1) },
      { key: "l", description: "Show or hide the face landmarks", run: toggleLandmarks },
    ]),
  );

  fetchWindows(id)
    .then((ws) => {
      windows = ws.reduce((acc, w) => mergeWindow(acc, w), windows);
      windowsChanged();
    })
    .catch((err: unknown) => showError(err, "Could not load the risk timeline"));

  renderTime();
  renderEvidence();
  goTo(0);

  return () => {
    for (const c of cleanups.reverse()) {
      c();
    }
  };
}

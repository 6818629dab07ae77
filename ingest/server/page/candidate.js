// Candidate page: asks for consent, opens the camera and microphone,
// publishes them over WHIP (RFC 9725) and reports the device facts that
// help spot virtual cameras. No trickle ICE: the offer carries every
// candidate, so one POST sets the call up.
'use strict';

const cfg = document.body.dataset;
const token = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() || '');
const $ = (id) => document.getElementById(id);
let pc = null;
let stream = null;
let resource = null;

function status(text, isError) {
  const el = $('status');
  el.textContent = text;
  el.className = isError ? 'error' : '';
}

// preferCodec puts the wanted codec first, keeping the others as fallbacks.
function preferCodec(transceiver, mime) {
  if (!transceiver.setCodecPreferences || !RTCRtpSender.getCapabilities) return;
  const caps = RTCRtpSender.getCapabilities(transceiver.sender.track.kind);
  if (!caps) return;
  const first = caps.codecs.filter((c) => c.mimeType.toLowerCase() === mime.toLowerCase());
  const rest = caps.codecs.filter((c) => c.mimeType.toLowerCase() !== mime.toLowerCase());
  try { transceiver.setCodecPreferences(first.concat(rest)); } catch (e) { /* keep the browser's order */ }
}

function gathered(peer, ms) {
  if (peer.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { if (peer.iceGatheringState === 'complete') resolve(); };
    peer.addEventListener('icegatheringstatechange', done);
    setTimeout(resolve, ms);
  });
}

async function facts() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const list = (kind) => devices.filter((d) => d.kind === kind).map((d) => ({ label: d.label, deviceId: d.deviceId, groupId: d.groupId }));
  const track = (t) => t ? { label: t.label, settings: t.getSettings() } : null;
  return {
    userAgent: navigator.userAgent,
    videoInputs: list('videoinput'),
    audioInputs: list('audioinput'),
    videoTrack: track(stream.getVideoTracks()[0]),
    audioTrack: track(stream.getAudioTracks()[0]),
  };
}

async function sendFacts() {
  try {
    const res = await fetch(cfg.facts, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
      body: JSON.stringify(await facts()),
    });
    if (!res.ok) console.warn('device facts not accepted', res.status);
  } catch (e) {
    console.warn('device facts not sent', e);
  }
}

async function start() {
  if (!navigator.mediaDevices || !window.RTCPeerConnection) {
    status('This browser cannot send a camera from this page (it needs a secure https:// connection and WebRTC). Ask your interviewer for an https link, or use a current Chrome, Edge, Firefox or Safari.', true);
    return;
  }
  $('start').disabled = true;
  status('Asking for your camera and microphone…');
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
      audio: true,
    });
  } catch (e) {
    status('The camera or microphone could not be opened (' + e.name + '). Allow access in the browser and press Start again.', true);
    $('start').disabled = false;
    return;
  }
  $('consent').hidden = true;
  $('live').hidden = false;
  $('self').srcObject = stream;
  status('Connecting…');
  try {
    pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    pc.addEventListener('connectionstatechange', () => {
      const s = pc.connectionState;
      if (s === 'connected') status('Connected: your interviewer receives your camera and microphone.');
      else if (s === 'failed' || s === 'disconnected') status('The connection was lost. Press Stop, reload the page and start again.', true);
    });
    const senders = [];
    for (const t of stream.getTracks()) {
      if (t.kind === 'video') t.contentHint = 'detail'; // keep detail over smooth motion
      const tr = pc.addTransceiver(t, { direction: 'sendonly', streams: [stream] });
      preferCodec(tr, t.kind === 'video' ? 'video/VP8' : 'audio/opus');
      senders.push(tr.sender);
    }
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc, 3000);
    const res = await fetch(cfg.whip, {
      method: 'POST',
      headers: { 'Content-Type': 'application/sdp', Authorization: 'Bearer ' + token },
      body: pc.localDescription.sdp,
    });
    if (res.status !== 201) throw new Error((await res.text()).trim() || ('HTTP ' + res.status));
    resource = new URL(res.headers.get('Location'), location.href).toString();
    await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
    // Keep resolution when bandwidth is short: a smaller face hides the
    // very artifacts the check looks for.
    for (const s of senders) {
      if (!s.track || s.track.kind !== 'video') continue;
      const p = s.getParameters();
      p.degradationPreference = 'maintain-resolution';
      try { await s.setParameters(p); } catch (e) { console.warn('degradationPreference', e); }
    }
    await sendFacts();
    navigator.mediaDevices.addEventListener('devicechange', sendFacts);
  } catch (e) {
    status('Could not connect: ' + e.message, true);
  }
}

function stop(keepalive) {
  if (resource) {
    fetch(resource, { method: 'DELETE', keepalive: !!keepalive, headers: { Authorization: 'Bearer ' + token } }).catch(() => {});
    resource = null;
  }
  if (pc) { pc.close(); pc = null; }
  if (stream) { stream.getTracks().forEach((t) => t.stop()); stream = null; }
}

$('agree').addEventListener('change', (e) => { $('start').disabled = !e.target.checked; });
$('start').addEventListener('click', start);
$('stop').addEventListener('click', () => { stop(false); status('Stopped. You can close this page.'); $('stop').disabled = true; });
window.addEventListener('pagehide', () => stop(true));

// Package devices judges what the candidate's browser says about its
// camera and microphone: whether a virtual camera or microphone (the route
// a live face swapper or voice changer takes into a call) is in use or
// installed, whether the client is a browser at all, and whether the video
// that arrives can come from the camera the browser reports.
//
// # The report
//
// The candidate page POSTs one JSON object after getUserMedia has been
// granted (before that, enumerateDevices returns empty labels):
//
//	const [vt] = stream.getVideoTracks(), [at] = stream.getAudioTracks();
//	const devs = await navigator.mediaDevices.enumerateDevices();
//	const pick = d => ({deviceId: d.deviceId, groupId: d.groupId, kind: d.kind, label: d.label});
//	body = JSON.stringify({
//	  userAgent:   navigator.userAgent,
//	  videoInputs: devs.filter(d => d.kind === "videoinput").map(pick),
//	  audioInputs: devs.filter(d => d.kind === "audioinput").map(pick),
//	  videoTrack:  vt && {label: vt.label, settings: vt.getSettings()},
//	  audioTrack:  at && {label: at.label, settings: at.getSettings()},
//	});
//
// which looks like
//
//	{
//	  "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
//	  "videoInputs": [
//	    {"deviceId": "9f2c…", "groupId": "41aa…", "kind": "videoinput", "label": "Integrated Camera (04f2:b6dd)"},
//	    {"deviceId": "c81e…", "groupId": "77d0…", "kind": "videoinput", "label": "OBS Virtual Camera"}
//	  ],
//	  "audioInputs": [
//	    {"deviceId": "default", "groupId": "3b1f…", "kind": "audioinput", "label": "Default - Microphone Array (Realtek(R) Audio)"}
//	  ],
//	  "videoTrack": {"label": "OBS Virtual Camera", "settings": {
//	    "deviceId": "c81e…", "groupId": "77d0…", "width": 1280, "height": 720,
//	    "frameRate": 30, "aspectRatio": 1.7777777777777777, "resizeMode": "none"}},
//	  "audioTrack": {"label": "Default - Microphone Array (Realtek(R) Audio)", "settings": {
//	    "deviceId": "default", "groupId": "3b1f…", "sampleRate": 48000, "sampleSize": 16,
//	    "channelCount": 1, "latency": 0.01, "echoCancellation": true,
//	    "autoGainControl": true, "noiseSuppression": true}}
//	}
//
// Every member is optional; unknown members (getSettings() grows with each
// browser release) are ignored; null reads as absent. Numbers must be
// non-negative and plausible (width and height ≤ 16384 and whole,
// frameRate ≤ 1000, sampleRate ≤ 768000, channelCount ≤ 64, latency ≤
// 10 s); strings are cleaned of control and invisible formatting
// characters and limited to MaxLabelRunes (MaxUserAgentRunes for the user
// agent); each device list holds at most MaxDevices; the body at most
// MaxBodySize. ParseFacts rejects a report that breaks any of these,
// naming the field, rather than guessing.
//
// # The judgement
//
// Assess matches labels against a maintained table of virtual cameras and
// microphones (Products, products.go: name, kind, patterns, note) by whole
// words, so "Camo" does not match "Camera" and "Loopback" is only looked
// for among microphones. Every Finding carries a Strength in [0, 1] meant
// as independent evidence for a noisy-OR (analysis/fuse) and a Reason the
// interviewer can act on. Names are weak evidence in both directions: a
// virtual camera can be renamed to look built in, and honest people use
// phone-as-webcam apps and streaming tools, so a selected virtual camera
// is at most moderate evidence (0.6) and the picture has to confirm it.
// CompareReceived checks the reported track settings against the video
// that actually arrives (received.go states its thresholds and why).
//
// # Ownership and concurrency
//
// Pure Go, no I/O, no goroutines. Every function is safe for concurrent
// use and retains nothing it is given; the product table is read-only.
package devices

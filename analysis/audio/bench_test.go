package audio_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/unmaskhq/unmask/analysis/audio"
	"github.com/unmaskhq/unmask/testdata/clips"
)

// BenchmarkDemux decodes the 30.6 s real clip Cap13 muxed with speech.
func BenchmarkDemux(b *testing.B) {
	dir := b.TempDir()
	wav := espeak(b, dir, "speech.wav", speechA+" "+speechB)
	mp4 := filepath.Join(dir, "talk30.mp4")
	run(b, "ffmpeg", "-nostdin", "-v", "error", "-y", "-i", clips.Path(b, clips.Cap13), "-i", wav,
		"-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", "aac", "-af", "apad", "-shortest", mp4)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := audio.Demux(ctx, mp4); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadWAV reads 12 s of 48 kHz 16-bit stereo speech.
func BenchmarkReadWAV(b *testing.B) {
	dir := b.TempDir()
	wav := espeak(b, dir, "speech.wav", speechA+" "+speechB)
	p := filepath.Join(dir, "s48.wav")
	run(b, "sox", wav, "-r", "48000", "-c", "2", "-b", "16", p, "pad", "0", "12", "trim", "0", "12")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := audio.ReadWAV(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnvelope computes the envelope, syllable envelope and VAD of
// 12 s of 16 kHz speech.
func BenchmarkEnvelope(b *testing.B) {
	dir := b.TempDir()
	wav := espeak(b, dir, "speech.wav", speechA+" "+speechB)
	p := filepath.Join(dir, "s16.wav")
	run(b, "sox", wav, "-r", "16000", p, "pad", "0", "12", "trim", "0", "12")
	pcm := readWAV(b, p)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		env := audio.Envelope(pcm, 0)
		audio.SyllableEnvelope(env, 0)
		audio.VAD(env)
	}
}

// BenchmarkResample converts 12 s from 44.1 kHz to 16 kHz.
func BenchmarkResample(b *testing.B) {
	in := tone(44100, 1000, 0.5, 12*44100)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		audio.Resample(in, audio.SampleRate)
	}
}

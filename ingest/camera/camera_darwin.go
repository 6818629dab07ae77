package camera

// List is not implemented on macOS yet: it returns an error wrapping
// ErrUnsupported.
//
// The same facts live here on macOS, in AVFoundation (which needs cgo and
// Objective-C): AVCaptureDevice.DiscoverySession lists the cameras, each
// with a localizedName (what browsers show), a uniqueID, a manufacturer
// ("Apple Inc." for built-in cameras), a modelID ("UVC Camera VendorID_1133
// ProductID_2085" for a USB camera, "FaceTime HD Camera" built in) and a
// deviceType (builtInWideAngleCamera, external, continuityCamera). Virtual
// cameras come from CoreMediaIO: DAL plug-ins in
// /Library/CoreMediaIO/Plug-Ins/DAL (OBS's obs-mac-virtualcam.plugin in
// older versions, CamTwist, Snap Camera) and, since macOS 12.3, camera
// extensions (CMIOExtension system extensions, used by newer OBS
// versions). They appear as external devices whose manufacturer and
// modelID are whatever the plug-in reports, so the strong facts are the
// plug-in's bundle (the DAL plug-in directory, or the extension's bundle
// identifier from systemextensionsctl) rather than the device's own
// strings; a name matched with devices.Match stays weak.
func List(cfg Config) ([]Camera, error) {
	return nil, errUnsupported("darwin", "AVCaptureDevice manufacturer, modelID and deviceType, where CoreMediaIO plug-ins such as OBS's appear, are not read yet")
}

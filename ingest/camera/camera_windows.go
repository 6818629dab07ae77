package camera

// List is not implemented on Windows yet: it returns an error wrapping
// ErrUnsupported.
//
// The same facts live here on Windows:
//
//   - Media Foundation (MFEnumDeviceSources with
//     MF_DEVSOURCE_ATTRIBUTE_SOURCE_TYPE_VIDCAP_GUID) lists the cameras
//     that apps using it see, each with a friendly name
//     (MF_DEVSOURCE_ATTRIBUTE_FRIENDLY_NAME, what browsers show) and a
//     symbolic link (..._VIDCAP_SYMBOLIC_LINK), such as
//     \\?\usb#vid_046d&pid_085b&mi_00#7&1a2b3c&0&0000#{e5323777-f976-4f5b-9b55-b94699c46e44}\global.
//     The link holds the bus ("usb") and the device instance.
//   - DirectShow (ICreateDevEnum over CLSID_VideoInputDeviceCategory)
//     lists the same cameras plus DirectShow-only sources: a filter DLL
//     registered as a camera, which is how many virtual cameras (OBS's
//     before Windows 11 support, ManyCam, SplitCam, e2eSoft VCam) appear.
//     Such a source has a FriendlyName and a CLSID but no DevicePath and no
//     device instance; its CLSID leads to the DLL
//     (HKCR\CLSID\{...}\InprocServer32), which is the driver fact to report.
//   - SetupAPI (SetupDiGetClassDevs on the camera interface class, then
//     SetupDiGetDeviceRegistryProperty with SPDRP_SERVICE,
//     SPDRP_ENUMERATOR_NAME and SPDRP_MFG) turns a device instance into
//     the driver's service name ("usbvideo" for a UVC camera), the
//     enumerator ("USB" for hardware; "ROOT" or "SWD" for software
//     devices, including Windows 11 virtual cameras made with
//     MFCreateVirtualCamera) and the manufacturer.
//
// Strong evidence would then be a DirectShow-only source or a software
// enumerator; a name matched with devices.Match stays weak.
func List(cfg Config) ([]Camera, error) {
	return nil, errUnsupported("windows", "Media Foundation and DirectShow friendly names and symbolic links, with driver service names from SetupAPI, are not read yet")
}

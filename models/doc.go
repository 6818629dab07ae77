// Package models is the registry of every model file Unmask loads: where it
// is found, its size and SHA-256, its licence and the package that provides
// it. Nothing is ever downloaded: a missing or altered file is an error that
// names the package to install.
//
// Search order for each model: the directory in $UNMASK_MODELS (an override
// for machines without the packages, or for a reviewed copy), then files
// bundled in this package (small, generated or hand-made data), then the
// system paths where the named package installs it.
//
// Verification hashes the whole file once per process (about 0.1 s for the
// 100 MB landmark model) and caches the result; the registry is safe for
// concurrent use.
package models

// Package distconsts: written for the engine lab. The Go module proxy does not serve the nested module
// github.com/dagger/dagger/engine/distconsts (403 "This module version is not available" at every version), and
// the engine source must come from the proxy only, so this file is ours: the names are the ones the proxy's
// dagger@v0.21.8 source uses (grep -rho 'distconsts\.[A-Za-z]*'); the values are the paths the engine is run with
// here (engine-ns.sh) and the image tags the lab serves. Only `dagger terminal`'s default image and upstream's
// integration tests read the image constants.
package distconsts

const (
	EngineContainerName   = "dagger-engine.dev"
	DefaultEngineSockAddr = "unix:///run/dagger/engine.sock"
	RuncPath              = "/usr/local/bin/runc"
	DaggerInitPath        = "/usr/local/bin/dagger-init"
	EngineDefaultStateDir = "/var/lib/dagger"
	// Builtin SDK content: built by build-sdk.sh, bind-mounted here by engine-ns.sh, digests in its env.
	EngineContainerBuiltinContentDir   = "/usr/local/share/dagger/content"
	GoSDKManifestDigestEnvName         = "DAGGER_GO_SDK_MANIFEST_DIGEST"
	PythonSDKManifestDigestEnvName     = "DAGGER_PYTHON_SDK_MANIFEST_DIGEST"
	TypescriptSDKManifestDigestEnvName = "DAGGER_TYPESCRIPT_SDK_MANIFEST_DIGEST"
	OCIVersionAnnotation               = "org.opencontainers.image.version"
	EngineCustomCACertsDir             = "/usr/local/share/ca-certificates"
)

const (
	AlpineVersion  = "3.22.1"
	AlpineImage    = "alpine:" + AlpineVersion
	GolangVersion  = "1.25.3"
	GolangImage    = "golang:" + GolangVersion + "-alpine"
	BusyboxVersion = "1.37.0"
	BusyboxImage   = "busybox:" + BusyboxVersion
)

# engine-lab: replace the Dang v1/v2 dispatch with a stub (github.com/vito/dang is refused by the Go proxy)
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('\tdangv1 "github.com/dagger/dagger/core/sdk/dang/v1"\n\tdangv2 "github.com/dagger/dagger/core/sdk/dang/v2"\n', '')
old = s[s.index('func dangImplFor('):s.index('func (sdk *dangSDK) AsRuntime')]
new = '''func dangImplFor(src *core.ModuleSource) dangImpl {
	// engine-lab: github.com/vito/dang{,/v2} are refused by the Go proxy, so
	// the Dang SDK is compiled out of this lab build.
	_ = engine.CheckVersionCompatibility
	return dangUnavailable{}
}

type dangUnavailable struct{}

func (dangUnavailable) ModuleTypes(context.Context, *core.SchemaBuilder, dagql.ObjectResult[*core.ModuleSource], dagql.ObjectResult[*core.Module]) (inst dagql.ObjectResult[*core.Module], err error) {
	return inst, fmt.Errorf("dang SDK not available in the engine-lab build")
}

func (dangUnavailable) Runtime(context.Context, *core.SchemaBuilder, dagql.ObjectResult[*core.ModuleSource]) (core.ModuleRuntime, error) {
	return nil, fmt.Errorf("dang SDK not available in the engine-lab build")
}

'''
s = s.replace(old, new)
open(p, 'w').write(s)

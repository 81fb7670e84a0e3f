// Package tuist is an engine-lab STUB of github.com/vito/tuist (refused by the
// Go module proxy). It only has to compile: the lab drives the dagger CLI
// without a TTY, so the pretty (tuist) frontend is never started. Every entry
// point that would draw returns an error or does nothing.
package tuist

import (
	"context"
	"errors"
	"io"
	"time"

	uv "github.com/charmbracelet/ultraviolet"
)

var ErrStub = errors.New("tuist stub: interactive TUI not available in the engine-lab build")

type Context struct {
	context.Context
	Width, Height int
	screenHeight  int
}

func (ctx Context) Recycle() []string                 { return nil }
func (ctx Context) Resize(w, h int) Context           { ctx.Width, ctx.Height = w, h; return ctx }
func (ctx Context) SetFocus(Component)                {}
func (ctx Context) RequestRender(bool)                {}
func (ctx Context) HasKittyKeyboard() bool            { return false }
func (ctx Context) HasOverlay() bool                  { return false }
func (ctx Context) EnableMouse()                      {}
func (ctx Context) DisableMouse()                     {}
func (ctx Context) Dispatch(fn func())                { fn() }
func (ctx Context) ScreenHeight() int                 { return ctx.screenHeight }
func (ctx Context) ShowOverlay(Component, *OverlayOptions) *OverlayHandle { return &OverlayHandle{} }

type CursorPos struct{ Row, Col int }

func (ctx Context) Line(string)       {}
func (ctx Context) Lines(...string)   {}

type Compo struct{}

func (c *Compo) Update()       {}
func (c *Compo) compo() *Compo { return c }

type Component interface {
	compo() *Compo
	Render(ctx Context)
}

type Focusable interface{ SetFocused(ctx Context, focused bool) }
type Mounter interface{ OnMount(ctx Context) }
type Dismounter interface{ OnDismount() }
type Hoverable interface{ SetHovered(ctx Context, hovered bool) }

type Container struct {
	Compo
	Children []Component
}

func (c *Container) AddChild(comp Component) { c.Children = append(c.Children, comp) }
func (c *Container) RemoveChild(comp Component) {
	for i, ch := range c.Children {
		if ch == comp {
			c.Children = append(c.Children[:i], c.Children[i+1:]...)
			return
		}
	}
}
func (c *Container) Clear() { c.Children = nil }
func (c *Container) Render(ctx Context) {}

type Slot struct {
	Compo
	child Component
}

func NewSlot(child Component) *Slot { return &Slot{child: child} }
func (s *Slot) Set(c Component)      { s.child = c }
func (s *Slot) Get() Component       { return s.child }
func (s *Slot) Render(ctx Context) {}


func (c *Compo) RenderChild(ctx Context, child Component) {}
func (c *Compo) RenderChildResult(ctx Context, child Component) RenderResult { return RenderResult{} }
func (c *Compo) RenderChildInline(ctx Context, child Component) string       { return "" }

type RenderResult struct {
	Lines  []string
	Cursor *CursorPos
}

type Interactive interface {
	Component
	HandleKeyPress(ctx Context, ev uv.KeyPressEvent) bool
}

type MouseEvent struct {
	uv.MouseEvent
	Row, Col int
}

type MouseEnabled interface {
	Component
	HandleMouse(ctx Context, ev MouseEvent) bool
}

// ── overlays ──
type SizeValue struct{ abs int }

func SizeAbs(n int) SizeValue { return SizeValue{abs: n} }

type OverlayAnchor int

const AnchorTopRight OverlayAnchor = 1

type OverlayMargin struct{ Top, Right, Bottom, Left int }

type OverlayOptions struct {
	Width  SizeValue
	Anchor OverlayAnchor
	Margin OverlayMargin
}

type OverlayHandle struct{}

func (h *OverlayHandle) Remove() {}

// ── TUI ──
type Terminal interface{}

func NewStdTerminal() Terminal { return nil }

type TUI struct{ Container }

func New(term Terminal) *TUI                                    { return &TUI{} }
func (t *TUI) Start() error                                      { return ErrStub }
func (t *TUI) Stop()                                             {}
func (t *TUI) SetFocus(Component)                                {}
func (t *TUI) SetShowHardwareCursor(bool)                        {}
func (t *TUI) SetDebugWriter(io.Writer)                          {}
func (t *TUI) RequestRender(bool)                                {}
func (t *TUI) Dispatch(fn func())                                { fn() }
func (t *TUI) ShowOverlay(Component, *OverlayOptions) *OverlayHandle { return &OverlayHandle{} }

// ── spinner ──
type Spinner struct {
	Compo
	Epoch time.Time
}

func NewSpinner() *Spinner               { return &Spinner{} }
func (s *Spinner) Render(ctx Context) {}

// ── text input ──
type TextInput struct {
	Compo
	Prompt         string
	OnSubmit       func(ctx Context, value string) bool
	KeyInterceptor func(ctx Context, ev uv.KeyPressEvent) bool
	value          string
}

func NewTextInput(v string) *TextInput   { return &TextInput{value: v} }
func (t *TextInput) Value() string        { return t.value }
func (t *TextInput) SetValue(v string)    { t.value = v }
func (t *TextInput) InsertRune(r rune)    { t.value += string(r) }
func (t *TextInput) Render(ctx Context)  {}

// ── completion ──
type Completion struct {
	Label, Detail string
}

type CompletionResult struct {
	Items       []Completion
	ReplaceFrom int
}

type CompletionMenu struct{ Compo }

func NewCompletionMenu(input *TextInput, fn func(input string, cursorPos int) CompletionResult) *CompletionMenu {
	return &CompletionMenu{}
}
func (m *CompletionMenu) HandleKeyPress(ctx Context, ev uv.KeyPressEvent) bool { return false }
func (m *CompletionMenu) Render(ctx Context)                                    {}

func (t *TUI) Exec(fn func(in io.Reader, out io.Writer, errOut io.Writer) error) error { return ErrStub }
func (t *TUI) RenderLines() []string                                                   { return nil }

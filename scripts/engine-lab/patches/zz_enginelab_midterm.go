package idtui

// engine-lab: midterm v0.2.5-0.20260312180916-3c2add750bea is refused by the Go
// proxy; v0.2.4 lacks the search API, so log search is a no-op in this build.

import "github.com/vito/midterm"

type enginelabSearchMatch struct{ Row, Col, Len int }

func mtSearchClear(*midterm.Terminal)                         {}
func mtSearch(*midterm.Terminal, string) int                  { return 0 }
func mtSearchSetCurrent(*midterm.Terminal, int) (int, bool)   { return -1, false }
func mtSearchMatches(*midterm.Terminal) []enginelabSearchMatch { return nil }
func mtSearchMatchRows(*midterm.Terminal) []int               { return nil }

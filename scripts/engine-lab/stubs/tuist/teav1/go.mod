module github.com/vito/tuist/teav1

go 1.24

require github.com/vito/tuist v0.0.6

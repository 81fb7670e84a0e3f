#!/usr/bin/env bash
# Milestone-1 image: Debian's static busybox as docker.io/library/busybox:1.37.0 and the alpine:3.22.1 stand-in
# (`dagger terminal`'s default image; alpine:3.21, the module's, is image-alpine.sh).
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd); . "$LAB/images-lib.sh"
refs=(library/busybox:1.37.0 library/alpine:3.22.1)
all=1; for r in "${refs[@]}"; do have_image "$r" || all=0; done
[ $all = 1 ] && { echo "busybox images present"; exit 0; }
w=$CACHE/work/busybox; rm -rf "$w"; mkdir -p "$w/root" "$CACHE/debs"
( cd "$CACHE/debs" && ls busybox-static_*.deb >/dev/null 2>&1 || apt-get download busybox-static )
dpkg-deb -x "$CACHE"/debs/busybox-static_*.deb "$w/x"
r=$w/root; mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev,var/tmp}
chmod 1777 "$r/tmp" "$r/var/tmp"
cp "$w/x/bin/busybox" "$r/bin/busybox"
for a in $("$r/bin/busybox" --list); do [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$r/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
for ref in "${refs[@]}"; do push_rootfs "$r" "$ref" --config.cmd /bin/sh; done
rm -rf "$w"

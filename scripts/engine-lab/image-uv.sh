#!/usr/bin/env bash
# ghcr.io/astral-sh/uv:0.13.9-python3.12-{trixie,bookworm}-slim stand-in: mmdebstrap trixie minbase + Debian python3
# (kept for the shared libraries a CPython build links: libssl, libffi, libsqlite3, zlib, bz2, lzma) + git, uv/uvx
# 0.13.9 from the PyPI wheel into /usr/local/bin, and the host's CPython 3.12 build (pyenv, PYTHON312) copied into the
# image at the same path, linked as /usr/local/bin/python3.12 (upstream: CPython 3.12 built into /usr/local).
# Config env UV_SYSTEM_CERTS=1 (uv 0.13.9 warns that UV_NATIVE_TLS is deprecated): uv's own root store lacks the
# sandbox's egress CA, which the engine injects into the system store only (a stand-in difference).
# ghcr.io/astral-sh/uv:0.13.9-python3.13-trixie-slim (examples/library pins Python 3.13): the same rootfs and uv
# without the 3.12 copy; its CPython 3.13 is Debian trixie's /usr/bin/python3.13, linked as /usr/local/bin/python3.13
# (upstream: CPython 3.13 built into /usr/local), pushed before the 3.12 build is added.
# Pushed under the ghcr.io mirror path (127.0.0.1:5000/ghcr.io/astral-sh/uv).
set -euo pipefail
LAB=$(cd "$(dirname "$0")" && pwd); . "$LAB/images-lib.sh"
UV_VERSION=${UV_VERSION:-0.13.9}
PY=${PYTHON312:-$HOME/.pyenv/versions/3.12.1}
REV=4
refs=(ghcr.io/astral-sh/uv:$UV_VERSION-python3.12-trixie-slim ghcr.io/astral-sh/uv:$UV_VERSION-python3.12-bookworm-slim)
ref313=ghcr.io/astral-sh/uv:$UV_VERSION-python3.13-trixie-slim
all=1; for x in "${refs[@]}" "$ref313"; do have_image "$x" || all=0; done
[ $all = 1 ] && is_current uv $REV && { echo "uv images present"; exit 0; }
[ -x "$PY/bin/python3.12" ] || { echo "MISSING: CPython 3.12 at $PY (set PYTHON312=<prefix>)"; exit 1; }
"$LAB/rootfs.sh" trixie python3,python3-venv,ca-certificates,git uv
mkdir -p "$CACHE/wheels"
whl=$(ls "$CACHE"/wheels/uv-$UV_VERSION-*manylinux*x86_64*.whl 2>/dev/null | head -1 || true)
if [ -z "$whl" ]; then
  (cd "$CACHE/wheels" && pip download --no-deps --only-binary=:all: --platform manylinux_2_17_x86_64 --python-version 3.12 "uv==$UV_VERSION" -d .)
  whl=$(ls "$CACHE"/wheels/uv-$UV_VERSION-*manylinux*x86_64*.whl | head -1)
fi
w=$CACHE/work/uv; rm -rf "$w"; mkdir -p "$w/r" "$w/whl"; r=$w/r
tar -C "$r" -xf "$CACHE/rootfs/trixie-uv.tar"
python3 -m zipfile -e "$whl" "$w/whl"
mkdir -p "$r/usr/local/bin"
install -m 0755 "$w"/whl/uv-*.data/scripts/uv "$w"/whl/uv-*.data/scripts/uvx "$r/usr/local/bin/"
ln -s /usr/bin/python3.13 "$r/usr/local/bin/python3.13"
chroot "$r" python3.13 -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib; import sys; print(sys.version)'
cfg=(--config.env UV_PYTHON_DOWNLOADS=never --config.env UV_SYSTEM_CERTS=1 --config.cmd /usr/local/bin/uv)
push_rootfs "$r" "$ref313" "${cfg[@]}"
rm "$r/usr/local/bin/python3.13"; mkdir -p "$r$PY"
tar -C "$PY" --exclude=./lib/python3.12/test --exclude='__pycache__' -cf - . | tar -C "$r$PY" -xf -
ln -s "$PY/bin/python3.12" "$r/usr/local/bin/python3.12"
chroot "$r" uv --version; chroot "$r" python3.12 -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib; import sys; print(sys.version)'
for x in "${refs[@]}"; do
  push_rootfs "$r" "$x" "${cfg[@]}"
done
mark_current uv $REV
rm -rf "$w"

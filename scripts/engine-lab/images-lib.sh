# shellcheck shell=bash
# helpers to turn a root filesystem directory into an OCI image and push it
# to the lab registry (127.0.0.1:5000) with umoci + skopeo.
CACHE=${ENGINE_LAB_CACHE:-$HOME/.cache/engine-lab}
REG=${ENGINE_LAB_REGISTRY:-127.0.0.1:5000}
IMGDIR=$CACHE/images; mkdir -p "$IMGDIR"

# push_rootfs <rootfs-dir> <repo:tag> [umoci config args...]
# repo is the path in the mirror, e.g. library/busybox:1.37.0 (docker.io) or astral-sh/uv:0.13.9-... (ghcr.io)
push_rootfs() {
  local root=$1 ref=$2; shift 2
  local slug=${ref//[\/:]/_} layout=$IMGDIR/oci
  local tar=$IMGDIR/$slug.tar
  tar --numeric-owner --xattrs -C "$root" -cf "$tar" .
  [ -d "$layout" ] || umoci init --layout "$layout"
  umoci new --image "$layout:$slug"
  umoci raw add-layer --image "$layout:$slug" "$tar"
  umoci config --image "$layout:$slug" --os linux --architecture amd64 \
     --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
  skopeo copy --quiet --dest-tls-verify=false "oci:$layout:$slug" "docker://$REG/$ref"
  rm -f "$tar"
  echo "pushed $REG/$ref"
}

have_image() { # <repo:tag>
  local repo=${1%:*} tag=${1##*:}
  curl -sf "http://$REG/v2/$repo/manifests/$tag" -H 'Accept: application/vnd.oci.image.manifest.v1+json' >/dev/null
}

# is_current <name> <rev>: the image was built by this revision of its script (a script change bumps the rev)
is_current() { [ "$(cat "$IMGDIR/$1.rev" 2>/dev/null)" = "$2" ]; }
mark_current() { echo "$2" >"$IMGDIR/$1.rev"; }

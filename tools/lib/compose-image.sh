# shellcheck shell=bash
# Shared by the tools/ scripts that build a program at the release docker-compose.yml pins.
#
# compose_image_version NAME COMPOSE_FILE IMAGE
#   Prints X.Y.Z from the first "image: IMAGE:vX.Y.Z" line of COMPOSE_FILE, or says that there is none, naming
#   the calling script NAME, and fails.
compose_image_version() {
  local name=$1 compose_file=$2 image=$3 version
  version=$(sed -n "s|^ *image: *$image:v\([0-9][0-9.]*\) *\$|\1|p" "$compose_file" | head -n 1)
  if [[ ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo "$name: no $image:vX.Y.Z image found in $compose_file" >&2
    return 1
  fi
  echo "$version"
}

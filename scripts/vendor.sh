#!/usr/bin/env bash
# Copies the built files of the front-end packages pinned in package.json into
# static/vendor/, which is committed: running the project needs no Node.
# Run after changing package.json:  npm ci --ignore-scripts && scripts/vendor.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=static/vendor
rm -rf "$out"
mkdir -p "$out"/{bootstrap,bootstrap-icons/fonts,chart.js,htmx,swagger-ui,tom-select}
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$out/bootstrap/"
cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css "$out/bootstrap-icons/"
cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff "$out/bootstrap-icons/fonts/"
cp node_modules/chart.js/dist/chart.umd.min.js "$out/chart.js/"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
# The API documentation page (/api/docs/).
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui-standalone-preset.js node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/favicon-32x32.png "$out/swagger-ui/"
cp node_modules/tom-select/dist/js/tom-select.complete.min.js node_modules/tom-select/dist/css/tom-select.bootstrap5.min.css "$out/tom-select/"
for package in bootstrap bootstrap-icons chart.js htmx.org swagger-ui-dist tom-select; do
    version=$(node -p "require('./node_modules/$package/package.json').version")
    license=$(node -p "require('./node_modules/$package/package.json').license")
    echo "$package $version ($license)"
done >"$out/VERSIONS.txt"
# Source-map comments would make WhiteNoise's manifest storage look for the .map files.
sed -i '/sourceMappingURL/d' "$out"/*/*.js "$out"/*/*.css
cat "$out/VERSIONS.txt"

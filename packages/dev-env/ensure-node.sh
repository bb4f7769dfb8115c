# Sourced by switchboard.sh: puts a Node.js >= 22.18 first on PATH. When the machine's Node is older,
# the `node` package from the npm registry brings the binary into .toolchain/ (git-ignored).
node_is_recent() {
  command -v node >/dev/null 2>&1 && node -e '
    const [major, minor] = process.versions.node.split(".").map(Number);
    process.exit(major > 22 || (major === 22 && minor >= 18) ? 0 : 1);'
}

if ! node_is_recent; then
  toolchain="$ROOT/.toolchain"
  if [ ! -x "$toolchain/node_modules/.bin/node" ]; then
    echo "switchboard: this machine's Node is $(node --version 2>/dev/null || echo missing); installing Node 24 into .toolchain/" >&2
    mkdir -p "$toolchain"
    npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      --prefix "$toolchain" node@24 >&2
  fi
  PATH="$toolchain/node_modules/.bin:$PATH"
  export PATH
  node_is_recent || { echo "switchboard: could not provide Node >= 22.18" >&2; exit 1; }
fi

# Sourced (POSIX sh) by ./mvnw and ./netc: points JAVA_HOME at a JDK >= 25.
# Order: $JAVA_HOME if it is >= 25, then the usual install places. Stops with one line if none.
netc_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}
netc_is_jdk25() {
  [ -x "$1/bin/javac" ] || return 1
  v=$(netc_java_major "$1")
  [ -n "$v" ] && [ "$v" -ge 25 ]
}
netc_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && netc_is_jdk25 "$JAVA_HOME"; then return 0; fi
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/java/* /usr/local/jdk* \
           "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    if [ -d "$d" ] && netc_is_jdk25 "$d"; then JAVA_HOME=$d; export JAVA_HOME; return 0; fi
  done
  if command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if netc_is_jdk25 "$d"; then JAVA_HOME=$d; export JAVA_HOME; return 0; fi
  fi
  echo "netc: needs a JDK 25 or newer: set JAVA_HOME to one (none found in \$JAVA_HOME, /usr/lib/jvm, /opt/java, ~/.sdkman, ~/.jdks)" >&2
  exit 1
}
netc_find_jdk

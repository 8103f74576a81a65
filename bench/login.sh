# Sourced by bench/load.sh and bench/instructions.sh (URL: the server).
# A demo user's login, as the request header that carries its credential.
login() { # mode username [base URL] [session cookie name] -> the credential header
  local body="{\"username\":\"$2\",\"password\":\"$2-password\"}" base=${3:-$URL} cookie=${4:-authlab_sid}
  if [ "$1" = session ]; then
    echo "Cookie: $cookie=$(curl -fs -c - -H 'content-type: application/json' -d "$body" "$base/api/session/login" \
      | awk -v name="$cookie" '$6 == name { print $7 }')"
  else
    echo "Authorization: Bearer $(curl -fs -H 'content-type: application/json' -d "$body" "$base/api/jwt/login" \
      | sed -E 's/.*"access_token":"([^"]+)".*/\1/')"
  fi
}

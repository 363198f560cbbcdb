"""Makes what a Specter Desktop installation holds, with the libraries Specter uses (PyJWT, hashlib):
its users.json (the list of User.json objects: {salt, pwdhash} from hash_password, jwt_tokens by id)
and tokens signed as User.generate_jwt_token signs them. Run with Debian's python3 and python3-jwt.

  specter.py users   < {"secret", "users": [{"id", "username", "password", "is_admin",
                                            "tokens": [{"description", "life"}]}]}
      prints {"users": <users.json>, "tokens": {"<username>/<description>": {"id", "token"}}}
  specter.py sign    < {"secret", "payload", "exp_in"?, "alg"?}   prints the JWT (alg "none": unsigned)
"""
import binascii
import datetime
import hashlib
import json
import os
import sys
import uuid

import jwt


def hash_password(plaintext_password):
    # Specter's user.hash_password: the salt's base64 *text* is the PBKDF2 salt.
    salt = binascii.b2a_base64(hashlib.sha256(os.urandom(60)).digest()).strip()
    pwdhash = binascii.b2a_base64(hashlib.pbkdf2_hmac("sha256", plaintext_password.encode("utf-8"), salt, 10000)).strip().decode()
    return {"salt": salt.decode(), "pwdhash": pwdhash}


def generate_jwt_token(secret, username, jwt_token_id, jwt_token_description, jwt_token_life):
    # Specter's User.generate_jwt_token.
    payload = {
        "username": username,
        "jwt_token_id": jwt_token_id,
        "jwt_token_description": jwt_token_description,
        "exp": datetime.datetime.utcnow() + datetime.timedelta(seconds=jwt_token_life),
        "iat": datetime.datetime.utcnow(),
    }
    return jwt.encode(payload, secret, algorithm="HS256")


def users(spec):
    out, tokens = [], {}
    for u in spec["users"]:
        jwt_tokens = {}
        for t in u.get("tokens", []):
            token_id = str(uuid.uuid4())
            token = generate_jwt_token(spec["secret"], u["username"], token_id, t["description"], t["life"])
            jwt_tokens[token_id] = {"jwt_token": token, "jwt_token_description": t["description"], "jwt_token_life": t["life"]}
            tokens[u["username"] + "/" + t["description"]] = {"id": token_id, "token": token}
        user = {
            "id": u["id"],
            "username": u["username"],
            "password": hash_password(u["password"]),
            "is_admin": u["is_admin"],
            "jwt_tokens": jwt_tokens,
            "encrypted_user_secret": None,
            "services": [],
        }
        if not u["is_admin"]:
            user["config"] = {}
        out.append(user)
    return {"users": out, "tokens": tokens}


def sign(spec):
    payload = dict(spec["payload"])
    if "exp_in" in spec:
        payload["exp"] = datetime.datetime.utcnow() + datetime.timedelta(seconds=spec["exp_in"])
        payload.setdefault("iat", datetime.datetime.utcnow())
    if spec.get("alg") == "none":
        return jwt.encode(payload, None, algorithm="none")
    return jwt.encode(payload, spec["secret"], algorithm="HS256")


if __name__ == "__main__":
    spec = json.load(sys.stdin)
    if sys.argv[1] == "users":
        json.dump(users(spec), sys.stdout)
    else:
        sys.stdout.write(sign(spec))

// The peer of `make bench`: the stack the seed debate's figures came from,
// Express with express-session (its default in-memory store) and
// jsonwebtoken (HS256), answering the same two requests as Auth Lab:
// log in (one fixed demo user; no password hashing: login is not measured)
// and GET /api/me by session cookie or by Bearer token.
//   PORT=3189 node server.js
"use strict";
const crypto = require("node:crypto");
const express = require("express");
const session = require("express-session");
const jwt = require("jsonwebtoken");

const secret = crypto.randomBytes(32);
const user = { id: 1, username: "alice", role: "user" };
const app = express();
app.use(express.json());
app.use(
  session({
    name: "peer_sid",
    secret: secret.toString("hex"),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: "lax", maxAge: 30 * 60 * 1000 },
  }),
);

app.post("/api/session/login", (req, res, next) => {
  req.session.regenerate((err) => {
    if (err) return next(err);
    req.session.user = user;
    res.json(user);
  });
});

app.post("/api/jwt/login", (_req, res) => {
  const token = jwt.sign({ sub: String(user.id), name: user.username, role: user.role }, secret, {
    algorithm: "HS256",
    expiresIn: "15m",
  });
  res.json({ access_token: token });
});

app.get("/api/me", (req, res) => {
  const bearer = /^Bearer (.+)$/.exec(req.get("authorization") ?? "");
  if (bearer) {
    try {
      const claims = jwt.verify(bearer[1], secret, { algorithms: ["HS256"] });
      return res.json({ username: claims.name, role: claims.role, mode: "jwt" });
    } catch {
      return res.status(401).json({ error: "invalid token" });
    }
  }
  if (req.session.user) return res.json({ ...req.session.user, mode: "session" });
  res.status(401).json({ error: "not logged in" });
});

const port = Number(process.env.PORT ?? 3189);
app.listen(port, "127.0.0.1", () => console.log(`peer on http://127.0.0.1:${port}`));

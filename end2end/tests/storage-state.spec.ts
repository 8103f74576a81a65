// What a saved login is: the storageState files that auth.setup.ts wrote.
// A session login is one opaque cookie; a JWT login is a token pair, and
// anyone holding the file can read the access token's payload.
import { readFileSync } from "node:fs";
import { accounts, expect, stateFile, test } from "./fixtures";

type Cookie = { name: string; value: string; httpOnly: boolean; sameSite: string };
const cookiesOf = (file: string): Cookie[] => JSON.parse(readFileSync(file, "utf8")).cookies;

test("a saved session login is one opaque, HttpOnly cookie", () => {
  const cookies = cookiesOf(stateFile("session", "user"));
  expect(cookies.map((c) => c.name)).toEqual(["authlab_sid"]);
  const [sid] = cookies;
  expect(sid.httpOnly).toBe(true);
  expect(sid.sameSite).toBe("Lax");
  // Opaque: not a JWT, and nothing in it names the user.
  expect(sid.value.split(".")).toHaveLength(1);
  expect(sid.value).not.toContain(accounts.user.username);
});

test("a saved JWT login is a token pair whose payload anyone can read", () => {
  const cookies = cookiesOf(stateFile("jwt", "admin"));
  expect(cookies.map((c) => c.name).sort()).toEqual(["authlab_at", "authlab_rt"]);
  for (const cookie of cookies) expect(cookie.httpOnly).toBe(true);
  const access = cookies.find((c) => c.name === "authlab_at")!.value;
  const [header, payload, signature] = access.split(".");
  expect(signature.length).toBeGreaterThan(0);
  expect(JSON.parse(Buffer.from(header, "base64url").toString())).toMatchObject({ alg: "HS256", typ: "JWT" });
  expect(JSON.parse(Buffer.from(payload, "base64url").toString())).toMatchObject({
    name: accounts.admin.username,
    role: "admin",
    iss: "authlab",
  });
  // The refresh token is opaque: only the server's hash of it means anything.
  expect(cookies.find((c) => c.name === "authlab_rt")!.value.split(".")).toHaveLength(1);
});

test("the fixtures start logged in, without a form", async ({ sessionUser, jwtUser }) => {
  for (const [who, mode] of [
    [sessionUser, "session"],
    [jwtUser, "jwt"],
  ] as const) {
    await who.page.goto("/me");
    await expect(who.page.getByTestId("me")).toHaveAttribute("data-mode", mode);
    await expect(who.page.getByTestId("me-username")).toHaveText(who.username);
  }
});

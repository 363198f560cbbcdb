export default function Home() {
  return (
    <main>
      <h1>Tokensmith</h1>
      <p>Issue, list, verify and revoke JWT access tokens for your REST APIs.</p>
      <h2>REST</h2>
      <pre>
        <code>{`curl -u admin:PASSWORD -X POST http://localhost:3000/v1alpha/token/ \\
  -H 'Content-Type: application/json' \\
  -d '{"jwt_token_description": "Token alpha", "jwt_token_life": "6 minutes"}'`}</code>
      </pre>
      <p>
        The API is described by its <a href="/v1alpha/openapi.json">OpenAPI document</a>.
      </p>
    </main>
  );
}

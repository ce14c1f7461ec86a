/**
 * Shown when no AI provider is configured: what the assistant needs, how to use a local model
 * (no key, nothing leaves the machine), and a small form that saves provider, base URL, model and
 * an optional key (kept by core in the OS keychain, never shown again). Also the disclosure a
 * cloud provider needs acknowledged before its first use.
 */
import { useState } from "react";
import { ASSISTANT_PROVIDERS, type AssistantProviderKind, type AssistantSettingsView } from "../../../../common/api/assistant.ts";
import { api } from "../../stores/connection.ts";
import { useChat } from "./chat-store.ts";

const LOCAL_SERVERS = [
  ["Ollama", "http://127.0.0.1:11434/v1"],
  ["LM Studio", "http://127.0.0.1:1234/v1"],
  ["llama.cpp server", "http://127.0.0.1:8080/v1"],
] as const;

/** The explanation and the settings form. */
export function ProviderSetup({ settings }: { settings: AssistantSettingsView }): React.JSX.Element {
  const [provider, setProvider] = useState<AssistantProviderKind>(settings.provider);
  const [baseUrl, setBaseUrl] = useState(settings.baseUrl ?? "");
  const [model, setModel] = useState(settings.model ?? "");
  const [apiKey, setApiKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const save = async (): Promise<void> => {
    try {
      const view = await api.call("assistant.configure", {
        provider,
        baseUrl: baseUrl.trim() || null,
        model: model.trim() || null,
        ...(apiKey ? { apiKey } : {}),
      });
      setApiKey("");
      setError(view.problem);
      useChat.setState({ settings: view });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div className="chat-setup" data-testid="chat-setup">
      {settings.problem ? <p>{settings.problem}</p> : <p>{`Using ${settings.provider} · ${settings.model ?? ""}${settings.baseUrl ? ` at ${settings.baseUrl}` : ""}.`}</p>}
      <p className="hint">
        Local servers need no key and keep everything on this computer:{" "}
        {LOCAL_SERVERS.map(([name, url], i) => (
          <span key={name}>
            {i > 0 ? ", " : ""}
            <button type="button" className="link" onClick={() => { setProvider("openai-compatible"); setBaseUrl(url); }}>
              {name}
            </button>
          </span>
        ))}
        . Cloud providers (OpenAI-compatible services, Anthropic, Google) need an API key.
      </p>
      <form className="chat-setup-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <label className="field">
          Provider
          <select value={provider} onChange={(e) => setProvider(e.target.value as AssistantProviderKind)}>
            {ASSISTANT_PROVIDERS.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label className="field">
          Base URL
          <input value={baseUrl} placeholder={provider === "openai-compatible" ? "http://127.0.0.1:11434/v1" : "(the provider's default)"} onChange={(e) => setBaseUrl(e.target.value)} />
        </label>
        <label className="field">
          Model
          <input value={model} placeholder="e.g. llama3.1" onChange={(e) => setModel(e.target.value)} />
        </label>
        <label className="field">
          API key
          <input type="password" value={apiKey} placeholder={settings.hasApiKey ? "saved (enter to replace)" : "optional for local servers"} onChange={(e) => setApiKey(e.target.value)} autoComplete="off" />
        </label>
        {settings.keychain === "unavailable" ? <p className="hint">No OS keychain is available: set WORKSTATION_AI_API_KEY instead of saving a key.</p> : null}
        {settings.envOverrides.length > 0 ? <p className="hint">{`Overridden by the environment: ${settings.envOverrides.join(", ")}`}</p> : null}
        <button type="submit">Save</button>
        {error ? <p className="error">{error}</p> : null}
      </form>
    </div>
  );
}

/** The first-use notice of a cloud provider. */
export function CloudConsent({ settings }: { settings: AssistantSettingsView }): React.JSX.Element {
  const consent = useChat((s) => s.consent);
  return (
    <div className="chat-consent" data-testid="chat-consent">
      <p>{settings.disclosure}</p>
      <button type="button" onClick={() => void consent()}>
        I understand, use this provider
      </button>
    </div>
  );
}

package io.lopq.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the standalone master reports at {@code /json/}: its workers and its applications, active
 * and completed. The tests judge a run by the application's state here (FINISHED, FAILED, KILLED),
 * not only by spark-submit's exit code.
 */
final class MasterState {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  /** One application as the master lists it. */
  record App(String id, String name, String state, boolean completed) {}

  /** One worker as the master lists it. */
  record Worker(String id, int port, String state, int cores, int coresUsed) {}

  private final JsonNode root;

  private MasterState(JsonNode root) {
    this.root = root;
  }

  /** Asks the master whose web UI listens on {@code webUiPort}. */
  static MasterState fetch(int webUiPort) {
    return new MasterState(getJson("http://127.0.0.1:" + webUiPort + "/json/"));
  }

  /** GETs a JSON document (the master's or a driver's REST API). */
  static JsonNode getJson(String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + " from " + url);
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading " + url, e);
    }
  }

  List<Worker> workers() {
    List<Worker> workers = new ArrayList<>();
    for (JsonNode w : root.path("workers")) {
      workers.add(new Worker(w.path("id").asText(), w.path("port").asInt(), w.path("state").asText(),
          w.path("cores").asInt(), w.path("coresused").asInt()));
    }
    return workers;
  }

  /** Workers in state ALIVE. */
  long aliveWorkers() {
    return workers().stream().filter(w -> w.state().equals("ALIVE")).count();
  }

  /** Active, then completed applications. */
  List<App> apps() {
    List<App> apps = new ArrayList<>();
    for (JsonNode a : root.path("activeapps")) {
      apps.add(new App(a.path("id").asText(), a.path("name").asText(), a.path("state").asText(), false));
    }
    for (JsonNode a : root.path("completedapps")) {
      apps.add(new App(a.path("id").asText(), a.path("name").asText(), a.path("state").asText(), true));
    }
    return apps;
  }

  Optional<App> app(String id) {
    return apps().stream().filter(a -> a.id().equals(id)).findFirst();
  }

  List<String> appIds() {
    return apps().stream().map(App::id).toList();
  }

  @Override
  public String toString() {
    return root.toString();
  }
}

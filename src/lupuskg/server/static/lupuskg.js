// The query page: YASGUI (served from this server) with the canned questions as example tabs.
(function () {
  "use strict";
  const endpoint = new URL("/sparql", window.location.href).href;
  document.getElementById("endpoint").textContent = endpoint;
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    autoAddOnInit: false,
    populateFromUrl: true,
  });
  window.lupuskgYasgui = yasgui;

  // Result IRIs under our base link to this server's pages, not to the public resolver.
  // The base is learnt from the catalog: an entry's IRI ends with its local page's path.
  let base = "";
  function learnBase(entry) {
    if (!base && entry.iri && entry.page && entry.iri.endsWith(entry.page)) {
      base = entry.iri.slice(0, entry.iri.length - entry.page.length + 1);
      localise(document.getElementById("yasgui"));
    }
  }
  function localise(root) {
    if (!base) { return; }
    root.querySelectorAll("a[href^='" + base + "']").forEach(function (anchor) {
      anchor.setAttribute("href", "/" + anchor.getAttribute("href").slice(base.length));
      anchor.removeAttribute("target");
    });
  }
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType === 1) { localise(node.parentNode || node); }
      });
    });
  }).observe(document.getElementById("yasgui"), { childList: true, subtree: true });

  function addTab(active, name, query) {
    const defaults = Yasgui.Tab.getDefaults(yasgui);
    return yasgui.addTab(active, Object.assign({}, defaults, {
      name: name,
      yasqe: Object.assign({}, defaults.yasqe, { value: query }),
      requestConfig: Object.assign({}, defaults.requestConfig, { endpoint: endpoint }),
    }));
  }

  function listQuestion(entry) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = entry.page || entry.url;
    link.textContent = entry.id + " " + entry.title;
    const question = document.createElement("span");
    question.className = "q";
    question.textContent = " — " + entry.question;
    item.append(link, question);
    document.getElementById("questions").append(item);
  }

  fetch("/api/queries", { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(function (entries) {
      entries.forEach(function (entry, index) {
        learnBase(entry);
        addTab(index === 0, entry.id + " " + entry.title, entry.example || entry.sparql);
        listQuestion(entry);
      });
      if (!entries.length) { addTab(true, "Query", "SELECT * WHERE { ?s ?p ?o } LIMIT 10"); }
      document.body.dataset.ready = "true";
    })
    .catch(function (error) {
      addTab(true, "Query", "SELECT * WHERE { ?s ?p ?o } LIMIT 10");
      document.getElementById("questions").textContent = "The canned questions could not be loaded: " + error;
      document.body.dataset.ready = "true";
    });
})();

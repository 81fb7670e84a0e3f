package compat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Wraps a mongo-java-server backend so that it answers like a standalone `mongod` 7 where the
 * plain backend does not:
 * <ul>
 * <li>`hello` / `isMaster` announce logical sessions (drivers then use sessions, as with mongod);
 * `startSession`, `endSessions`, `refreshSessions`, `killSessions` are accepted;</li>
 * <li>transactions are refused exactly as a standalone mongod refuses them (IllegalOperation, code 20),
 * instead of being silently applied without atomicity;</li>
 * <li>TTL indexes (`expireAfterSeconds`) expire documents: a monitor runs every {@code ttlSeconds}
 * (mongod: 60 s);</li>
 * <li>`insert` reports `n` = documents actually inserted when some fail (the plain backend counts them all);</li>
 * <li>`collMod` with `index: {keyPattern|name, expireAfterSeconds}` changes a TTL;</li>
 * <li>`$text` filters (find, count, distinct, findAndModify, a leading `$match`) become case-insensitive
 * word-prefix regexes over the text index's fields; in `find`, `{$meta: "textScore"}` (projection, sort) is the
 * number of term matches. No real stemming, stop words or language rules: good for tests, not for relevance.</li>
 * <li>`update` and `findAndModify` take an aggregation pipeline as the update ({@link PipelineUpdates}).</li>
 * </ul>
 */
public final class CompatBackend implements MongoBackend {
    private static final String NO_TXN =
        "Transaction numbers are only allowed on a replica set member or mongos";

    private final MongoBackend inner;
    private final PipelineUpdates pipelineUpdates;
    private final ScheduledExecutorService ttl;
    /** The backend keys per-client state by channel; the TTL monitor is its own client. */
    private final Channel ttlChannel = new EmbeddedChannel();
    /** "db\0collection" of every collection given a TTL index through this server. */
    private final java.util.Set<String> ttlTargets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Held by a TTL pass and by drops, so that the monitor never touches a database while it is dropped. */
    private final Object ttlLock = new Object();

    public CompatBackend(MongoBackend inner, int ttlSeconds) {
        this.inner = inner;
        this.pipelineUpdates = new PipelineUpdates(inner);
        this.ttl = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ttl-monitor");
            t.setDaemon(true);
            return t;
        });
        if (ttlSeconds > 0) {
            ttl.scheduleWithFixedDelay(this::expireTtl, ttlSeconds, ttlSeconds, TimeUnit.SECONDS);
        }
    }

    /** The wire version announced to drivers (MongoDB 6.0). */
    static final int WIRE_VERSION = 17;

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        String c = command.toLowerCase();
        if (query.containsKey("txnNumber") || query.containsKey("startTransaction")
            || c.equals("committransaction") || c.equals("aborttransaction")) {
            throw new MongoServerError(20, "IllegalOperation", NO_TXN);
        }
        switch (c) {
            case "hello":
            case "ismaster": {
                Document r = inner.handleCommand(channel, database, "ismaster", query);
                if (c.equals("hello")) {
                    r.remove("ismaster");
                }
                r.put("isWritablePrimary", Boolean.TRUE);
                r.put("helloOk", Boolean.TRUE);
                r.put("logicalSessionTimeoutMinutes", 30);
                // mongo-java-server announces wire version 8 (MongoDB 4.2); PyMongo >= 4.14 refuses anything
                // below 9. Announce 17 (MongoDB 6.0): the commands drivers send at that level are the ones above.
                r.put("maxWireVersion", WIRE_VERSION);
                return r;
            }
            case "startsession": {
                Document r = new Document("id", new Document("id", UUID.randomUUID()));
                r.put("timeoutMinutes", 30);
                r.put("ok", 1.0);
                return r;
            }
            case "endsessions":
            case "refreshsessions":
            case "killsessions":
            case "killallsessions":
            case "killallsessionsbypattern":
                return new Document("ok", 1.0);
            case "insert":
                return fixInsertCount(query, inner.handleCommand(channel, database, command, query));
            case "createindexes": {
                Document r = inner.handleCommand(channel, database, command, query);
                if (query.get("indexes") instanceof List) {
                    for (Object ix : (List<?>) query.get("indexes")) {
                        if (ix instanceof Document && ((Document) ix).get("expireAfterSeconds") instanceof Number) {
                            ttlTargets.add(database + "\0" + query.get(command));
                        }
                    }
                }
                return r;
            }
            case "collmod":
                if (query.get("index") instanceof Document) {
                    Document r = collModIndex(channel, database, query);
                    ttlTargets.add(database + "\0" + query.get(command));
                    return r;
                }
                return inner.handleCommand(channel, database, command, query);
            case "dropdatabase":
                synchronized (ttlLock) {
                    ttlTargets.removeIf(t -> t.startsWith(database + "\0"));
                    return inner.handleCommand(channel, database, command, query);
                }
            case "drop":
                synchronized (ttlLock) {
                    ttlTargets.remove(database + "\0" + query.get(command));
                    return inner.handleCommand(channel, database, command, query);
                }
            case "find": {
                Document filter = query.get("filter") instanceof Document ? (Document) query.get("filter") : null;
                if (filter != null && filter.get("$text") instanceof Document) {
                    return findText(channel, database, query, filter);
                }
                return inner.handleCommand(channel, database, command, query);
            }
            case "count":
            case "distinct":
                rewriteText(channel, database, query, "query");
                return inner.handleCommand(channel, database, command, query);
            case "findandmodify":
                rewriteText(channel, database, query, "query");
                if (query.get("update") instanceof List) {
                    return pipelineUpdates.findAndModify(channel, database, query);
                }
                return inner.handleCommand(channel, database, command, query);
            case "update":
                if (PipelineUpdates.hasPipeline(query)) {
                    return pipelineUpdates.update(channel, database, query);
                }
                return inner.handleCommand(channel, database, command, query);
            case "aggregate":
                if (query.get("pipeline") instanceof List && !((List<?>) query.get("pipeline")).isEmpty()) {
                    Object first = ((List<?>) query.get("pipeline")).get(0);
                    if (first instanceof Document && ((Document) first).get("$match") instanceof Document) {
                        rewriteText(channel, database, (Document) first, "$match", (String) query.get("aggregate"));
                    }
                }
                return inner.handleCommand(channel, database, command, query);
            default:
                return inner.handleCommand(channel, database, command, query);
        }
    }

    // ------------------------------------------------------------------ collMod {index: {...}}
    /** collMod that changes an index's expireAfterSeconds: the index is dropped and re-created with the new value. */
    private Document collModIndex(Channel channel, String database, Document query) {
        String coll = (String) query.get("collMod");
        Document spec = (Document) query.get("index");
        Document found = null;
        for (Document ix : firstBatch(inner.handleCommand(channel, database, "listIndexes", new Document("listIndexes", coll)))) {
            if ((spec.get("name") != null && spec.get("name").equals(ix.get("name")))
                || (spec.get("keyPattern") != null && spec.get("keyPattern").equals(ix.get("key")))) {
                found = ix;
            }
        }
        if (found == null) {
            throw new MongoServerError(27, "IndexNotFound", "cannot find index " + spec + " for ns " + database + "." + coll);
        }
        Document r = new Document();
        if (spec.containsKey("expireAfterSeconds")) {
            Document rebuilt = new Document();
            for (Map.Entry<String, Object> e : found.entrySet()) {
                if (!e.getKey().equals("ns")) {
                    rebuilt.put(e.getKey(), e.getValue());
                }
            }
            r.put("expireAfterSeconds_old", found.get("expireAfterSeconds"));
            rebuilt.put("expireAfterSeconds", spec.get("expireAfterSeconds"));
            inner.handleCommand(channel, database, "dropIndexes", new Document("dropIndexes", coll).append("index", found.get("name")));
            inner.handleCommand(channel, database, "createIndexes",
                new Document("createIndexes", coll).append("indexes", List.of(rebuilt)));
            r.put("expireAfterSeconds_new", spec.get("expireAfterSeconds"));
        }
        r.put("ok", 1.0);
        return r;
    }

    // ------------------------------------------------------------------ $text
    private void rewriteText(Channel channel, String database, Document query, String filterKey) {
        Object coll = query.values().iterator().next();
        if (coll instanceof String) {
            rewriteText(channel, database, query, filterKey, (String) coll);
        }
    }

    /**
     * Replaces {$text: {$search: "..."}} in query[filterKey] by a case-insensitive word-prefix regex
     * over the fields of the collection's text index (any term matches; "-term" excludes; "a phrase" must
     * appear). No stemming, no stop words, no textScore: a filter, not a ranking.
     */
    private void rewriteText(Channel channel, String database, Document query, String filterKey, String coll) {
        if (!(query.get(filterKey) instanceof Document)) {
            return;
        }
        Document filter = (Document) query.get(filterKey);
        if (!(filter.get("$text") instanceof Document)) {
            return;
        }
        List<String> fields = textFields(channel, database, coll);
        if (fields.isEmpty()) {
            throw new MongoServerError(27, "IndexNotFound", "text index required for $text query");
        }
        String search = String.valueOf(((Document) filter.get("$text")).get("$search"));
        List<String> any = new ArrayList<>();
        List<String> all = new ArrayList<>();
        List<String> none = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(search);
        while (m.find()) {
            if (m.group(1) != null) {
                if (!m.group(1).isBlank()) {
                    all.add(java.util.regex.Pattern.quote(m.group(1).trim()));
                }
            } else if (m.group(2).startsWith("-") && m.group(2).length() > 1) {
                none.add("\\b" + java.util.regex.Pattern.quote(m.group(2).substring(1)));
            } else {
                String t = m.group(2);
                // crude stemming: "dragons" also finds "dragon"
                if (t.length() > 3 && t.toLowerCase().endsWith("s")) {
                    t = t.substring(0, t.length() - 1);
                }
                any.add("\\b" + java.util.regex.Pattern.quote(t));
            }
        }
        List<Object> and = new ArrayList<>();
        if (!any.isEmpty()) {
            and.add(matchAnyField(fields, String.join("|", any)));
        }
        for (String phrase : all) {
            and.add(matchAnyField(fields, phrase));
        }
        for (String neg : none) {
            and.add(new Document("$nor", List.of(matchAnyField(fields, neg))));
        }
        Document rewritten = new Document();
        for (Map.Entry<String, Object> e : filter.entrySet()) {
            if (!e.getKey().equals("$text")) {
                rewritten.put(e.getKey(), e.getValue());
            }
        }
        if (and.isEmpty()) {
            and.add(new Document("_id", new Document("$exists", Boolean.FALSE)));  // empty search matches nothing
        }
        rewritten.put("$and", and);
        query.put(filterKey, rewritten);
    }

    private static Document matchAnyField(List<String> fields, String regex) {
        List<Object> or = new ArrayList<>();
        for (String f : fields) {
            or.add(new Document(f, new Document("$regex", regex).append("$options", "i")));
        }
        return new Document("$or", or);
    }

    /**
     * find with $text: the filter is rewritten (see below); when the projection or sort asks for
     * {$meta: "textScore"}, the score is the number of term matches in the text-indexed fields, the
     * whole result is fetched, ranked, cut by skip/limit and returned in one batch.
     */
    @SuppressWarnings("unchecked")
    private Document findText(Channel channel, String database, Document query, Document filter) {
        String coll = (String) query.get("find");
        String search = String.valueOf(((Document) filter.get("$text")).get("$search"));
        Document proj = query.get("projection") instanceof Document ? (Document) query.get("projection") : new Document();
        Document sort = query.get("sort") instanceof Document ? (Document) query.get("sort") : new Document();
        List<String> scoreFields = new ArrayList<>();
        for (Map.Entry<String, Object> e : proj.entrySet()) {
            if (isTextScore(e.getValue())) {
                scoreFields.add(e.getKey());
            }
        }
        boolean sortByScore = sort.values().stream().anyMatch(CompatBackend::isTextScore);
        rewriteText(channel, database, query, "filter", coll);
        if (scoreFields.isEmpty() && !sortByScore) {
            return inner.handleCommand(channel, database, "find", query);
        }
        List<String> fields = textFields(channel, database, coll);
        List<java.util.regex.Pattern> terms = new ArrayList<>();
        for (String t : search.replace("\"", " ").split("\\s+")) {
            if (!t.isBlank() && !t.startsWith("-")) {
                String stem = t.length() > 3 && t.toLowerCase().endsWith("s") ? t.substring(0, t.length() - 1) : t;
                terms.add(java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(stem),
                    java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE));
            }
        }
        Document internal = new Document("find", coll);
        internal.put("filter", query.get("filter"));
        Document rest = new Document();
        for (Map.Entry<String, Object> e : sort.entrySet()) {
            if (!isTextScore(e.getValue())) {
                rest.put(e.getKey(), e.getValue());
            }
        }
        if (!rest.isEmpty()) {
            internal.put("sort", rest);
        }
        internal.put("batchSize", Integer.MAX_VALUE);
        List<Document> docs = new ArrayList<>(firstBatch(inner.handleCommand(channel, database, "find", internal)));
        Map<Object, Double> score = new java.util.IdentityHashMap<>();
        for (Document d : docs) {
            double sc = 0;
            for (String f : fields) {
                Object v = d.get(f);
                if (v != null) {
                    for (java.util.regex.Pattern p : terms) {
                        java.util.regex.Matcher m = p.matcher(String.valueOf(v));
                        while (m.find()) {
                            sc += 1;
                        }
                    }
                }
            }
            score.put(d, sc);
        }
        if (sortByScore) {
            docs.sort((a, b) -> Double.compare(score.get(b), score.get(a)));  // stable: ties keep the other sort keys' order
        }
        int skip = query.get("skip") instanceof Number ? ((Number) query.get("skip")).intValue() : 0;
        int limit = query.get("limit") instanceof Number ? Math.abs(((Number) query.get("limit")).intValue()) : 0;
        List<Document> out = new ArrayList<>();
        for (int i = skip; i < docs.size() && (limit == 0 || out.size() < limit); i++) {
            Document d = project(docs.get(i), proj);
            for (String f : scoreFields) {
                d.put(f, score.get(docs.get(i)));
            }
            out.add(d);
        }
        Document cursor = new Document("firstBatch", out).append("id", 0L).append("ns", database + "." + coll);
        return new Document("cursor", cursor).append("ok", 1.0);
    }

    private static boolean isTextScore(Object v) {
        return v instanceof Document && "textScore".equals(((Document) v).get("$meta"));
    }

    /** Top-level inclusion/exclusion projection (enough for a text-search result list). */
    private static Document project(Document doc, Document proj) {
        boolean inclusion = false;
        for (Map.Entry<String, Object> e : proj.entrySet()) {
            if (!e.getKey().equals("_id") && !isTextScore(e.getValue()) && Utils_isTrue(e.getValue())) {
                inclusion = true;
            }
        }
        Document out = new Document();
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            String k = e.getKey();
            Object p = proj.get(k.contains(".") ? k.substring(0, k.indexOf('.')) : k);
            boolean keep;
            if (k.equals("_id")) {
                keep = p == null || Utils_isTrue(p);
            } else if (inclusion) {
                keep = p != null && !isTextScore(p) && Utils_isTrue(p);
            } else {
                keep = p == null || isTextScore(p) || Utils_isTrue(p);
            }
            if (keep) {
                out.put(k, e.getValue());
            }
        }
        return out;
    }

    private static boolean Utils_isTrue(Object v) {
        return v instanceof Boolean ? (Boolean) v : v instanceof Number && ((Number) v).doubleValue() != 0;
    }

    private List<String> textFields(Channel channel, String database, String coll) {
        List<String> fields = new ArrayList<>();
        for (Document ix : firstBatch(inner.handleCommand(channel, database, "listIndexes", new Document("listIndexes", coll)))) {
            Document key = (Document) ix.get("key");
            for (Map.Entry<String, Object> e : key.entrySet()) {
                if ("text".equals(e.getValue())) {
                    fields.add(e.getKey());
                }
            }
        }
        return fields;
    }

    /** With write errors, `n` must count only the documents inserted. */
    private static Document fixInsertCount(Document query, Document r) {
        Object errs = r.get("writeErrors");
        Object docs = query.get("documents");
        if (errs instanceof List && !((List<?>) errs).isEmpty() && docs instanceof List) {
            List<?> errors = (List<?>) errs;
            boolean ordered = !Boolean.FALSE.equals(query.get("ordered"));
            int n;
            if (ordered) {
                n = ((Number) ((Document) errors.get(0)).get("index")).intValue();
            } else {
                n = ((List<?>) docs).size() - errors.size();
            }
            r.put("n", n);
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static List<Document> firstBatch(Document cursorResponse) {
        Document cursor = (Document) cursorResponse.get("cursor");
        return cursor == null ? List.of() : (List<Document>) cursor.get("firstBatch");
    }

    /**
     * One pass of the TTL monitor: in each collection that was given a TTL index, delete the documents whose
     * indexed date is older than expireAfterSeconds. Goes through handleCommand like any client.
     */
    @SuppressWarnings("unchecked")
    private void expireTtl() {
        synchronized (ttlLock) {
            try {
                if (ttlTargets.isEmpty()) {
                    return;
                }
                java.util.Set<String> dbs = new java.util.HashSet<>();
                Document list = inner.handleCommand(ttlChannel, "admin", "listDatabases", new Document("listDatabases", 1));
                for (Document d : (List<Document>) list.get("databases")) {
                    dbs.add((String) d.get("name"));
                }
                for (String target : new ArrayList<>(ttlTargets)) {
                    String db = target.substring(0, target.indexOf('\0'));
                    String coll = target.substring(target.indexOf('\0') + 1);
                    if (!dbs.contains(db)) {
                        ttlTargets.remove(target);
                        continue;
                    }
                    List<Document> idx;
                    try {
                        idx = firstBatch(inner.handleCommand(ttlChannel, db, "listIndexes", new Document("listIndexes", coll)));
                    } catch (RuntimeException e) {
                        continue;  // collection gone or renamed
                    }
                    for (Document ix : idx) {
                        Object exp = ix.get("expireAfterSeconds");
                        Document key = (Document) ix.get("key");
                        if (!(exp instanceof Number) || key == null || key.size() != 1) {
                            continue;
                        }
                        String field = key.keySet().iterator().next();
                        Instant cutoff = inner.getClock().instant().minusMillis((long) (((Number) exp).doubleValue() * 1000));
                        Document del = new Document("delete", coll);
                        del.put("deletes", List.of(new Document("q", new Document(field, new Document("$lt", cutoff)))
                            .append("limit", 0)));
                        del.put("ordered", Boolean.FALSE);
                        inner.handleCommand(ttlChannel, db, "delete", del);
                    }
                }
            } catch (RuntimeException e) {
                System.err.println("ttl-monitor: " + e);
            }
        }
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        Document query = message.getDocument();
        String command = query.keySet().iterator().next();
        return handleCommand(message.getChannel(), message.getDatabaseName(), command, query);
    }

    @Override public void handleClose(Channel channel) { inner.handleClose(channel); }
    @Override public QueryResult handleQuery(MongoQuery query) { return inner.handleQuery(query); }
    @Override public void dropDatabase(String database) { inner.dropDatabase(database); }
    @Override public Collection<Document> getCurrentOperations(MongoQuery query) { return inner.getCurrentOperations(query); }
    @Override public Document getServerStatus() { return inner.getServerStatus(); }
    @Override public void close() { ttl.shutdownNow(); inner.close(); }
    @Override public void closeCursors(List<Long> cursorIds) { inner.closeCursors(cursorIds); }
    @Override public Clock getClock() { return inner.getClock(); }
    @Override public void enableOplog() { inner.enableOplog(); }
    @Override public void disableOplog() { inner.disableOplog(); }
    @Override public MongoDatabase resolveDatabase(String database) { return inner.resolveDatabase(database); }
    @Override public MongoBackend version(MongoVersion version) { inner.version(version); return this; }
}

package compat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.QueryParameters;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.netty.channel.Channel;

/**
 * The {@code update} and {@code findAndModify} commands whose update is a pipeline, which mongo-java-server
 * rejects. Each matched document goes through {@link UpdatePipeline} and is written back as a replacement by
 * {@code _id} through the backend's own commands, so indexes, unique checks, the {@code _id} guard and
 * {@code nModified} stay mongo-java-server's. Find and write hold the collection's monitor (the one its
 * synchronized methods take), so another client's write cannot land in between.
 */
final class PipelineUpdates {
    private final MongoBackend inner;

    PipelineUpdates(MongoBackend inner) {
        this.inner = inner;
    }

    static boolean hasPipeline(Document updateCommand) {
        if (updateCommand.get("updates") instanceof List) {
            for (Object u : (List<?>) updateCommand.get("updates")) {
                if (u instanceof Document && ((Document) u).get("u") instanceof List) {
                    return true;
                }
            }
        }
        return false;
    }

    /** An {@code update} command: statement by statement, pipelines here, the others by the backend. */
    @SuppressWarnings("unchecked")
    Document update(Channel channel, String database, Document command) {
        String coll = String.valueOf(command.get("update"));
        boolean ordered = !Boolean.FALSE.equals(command.get("ordered"));
        List<Document> statements = (List<Document>) command.get("updates");
        Document total = new Document("n", 0).append("nModified", 0);
        List<Document> upserted = new ArrayList<>();
        List<Document> errors = new ArrayList<>();
        for (int i = 0; i < statements.size() && !(ordered && !errors.isEmpty()); i++) {
            Document stmt = statements.get(i);
            Document r;
            try {
                r = stmt.get("u") instanceof List ? pipelineStatement(channel, database, coll, stmt)
                    : inner.handleCommand(channel, database, "update", single(coll, stmt));
                throwFirstWriteError(r);
            } catch (MongoServerError e) {
                Document error = new Document("index", i).append("code", e.getCode());
                error.putIfNotNull("codeName", e.getCodeName());
                errors.add(error.append("errmsg", e.getMessageWithoutErrorCode()));
                continue;
            }
            total.put("n", count(total, "n") + count(r, "n"));
            total.put("nModified", count(total, "nModified") + count(r, "nModified"));
            for (Document u : (List<Document>) r.getOrDefault("upserted", List.of())) {
                upserted.add(new Document("index", i).append("_id", u.get("_id")));
            }
        }
        if (!upserted.isEmpty()) {
            total.put("upserted", upserted);
        }
        if (!errors.isEmpty()) {
            total.put("writeErrors", errors);
        }
        Utils.markOkay(total);
        return total;
    }

    private Document pipelineStatement(Channel channel, String database, String coll, Document stmt) {
        UpdatePipeline pipeline = UpdatePipeline.parse((List<?>) stmt.get("u"), now());
        Document filter = stmt.get("q") instanceof Document ? (Document) stmt.get("q") : new Document();
        synchronized (monitor(database, coll)) {
            List<Document> matched = find(database, coll, filter, null, Utils.isTrue(stmt.get("multi")) ? 0 : 1);
            if (matched.isEmpty() && Utils.isTrue(stmt.get("upsert"))) {
                Document doc = insertUpsert(channel, database, coll, filter, pipeline);
                return new Document("n", 1).append("nModified", 0)
                    .append("upserted", List.of(new Document("_id", doc.get("_id"))));
            }
            int modified = 0;
            for (Document doc : matched) {
                Document r = inner.handleCommand(channel, database, "update",
                    single(coll, new Document("q", idOf(doc)).append("u", pipeline.apply(doc))));
                throwFirstWriteError(r);
                modified += count(r, "nModified");
            }
            return new Document("n", matched.size()).append("nModified", modified);
        }
    }

    /** A {@code findAndModify} command whose {@code update} is a pipeline (remove is not, by definition). */
    Document findAndModify(Channel channel, String database, Document command) {
        String coll = String.valueOf(command.values().iterator().next());
        UpdatePipeline pipeline = UpdatePipeline.parse((List<?>) command.get("update"), now());
        Document filter = command.get("query") instanceof Document ? (Document) command.get("query") : new Document();
        boolean returnNew = Utils.isTrue(command.get("new"));
        synchronized (monitor(database, coll)) {
            List<Document> matched = find(database, coll, filter, (Document) command.get("sort"), 1);
            if (!matched.isEmpty()) {
                Document doc = matched.get(0);
                Document replace = new Document("findAndModify", coll).append("query", idOf(doc))
                    .append("update", pipeline.apply(doc)).append("new", returnNew);
                if (command.get("fields") != null) {
                    replace.put("fields", command.get("fields"));
                }
                return inner.handleCommand(channel, database, "findAndModify", replace);
            }
            Document last = new Document("n", 0).append("updatedExisting", Boolean.FALSE);
            Object value = null;
            if (Utils.isTrue(command.get("upsert"))) {
                Document doc = insertUpsert(channel, database, coll, filter, pipeline);
                last = new Document("n", 1).append("updatedExisting", Boolean.FALSE).append("upserted", doc.get("_id"));
                value = returnNew ? findOne(channel, database, coll, idOf(doc), command.get("fields")) : null;
            }
            Document r = new Document("lastErrorObject", last).append("value", value);
            Utils.markOkay(r);
            return r;
        }
    }

    /** Inserts the pipeline applied to the filter's equalities: an insert, so an existing _id is a duplicate key. */
    private Document insertUpsert(Channel channel, String database, String coll, Document filter,
                                  UpdatePipeline pipeline) {
        Document seed = UpsertSeed.of(filter);
        Document doc = UpsertSeed.withId(pipeline.apply(seed), seed);
        Document r = inner.handleCommand(channel, database, "insert",
            new Document("insert", coll).append("documents", List.of(doc)).append("ordered", Boolean.TRUE));
        throwFirstWriteError(r);
        return doc;
    }

    /** {@code $$NOW} at BSON's millisecond precision, so a stored date equals the one a client reads back. */
    private Instant now() {
        return inner.getClock().instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Object monitor(String database, String coll) {
        MongoCollection<?> c = inner.resolveDatabase(database).resolveCollection(coll, false);
        return c != null ? c : this;
    }

    /** Copies of the matching documents; the filter goes under "query" so a field named "query" stays a field. */
    private List<Document> find(String database, String coll, Document filter, Document sort, int limit) {
        MongoCollection<?> c = inner.resolveDatabase(database).resolveCollection(coll, false);
        List<Document> out = new ArrayList<>();
        if (c != null) {
            Document selector = new Document("query", filter).append("orderby", sort);
            for (Document d : c.handleQuery(new QueryParameters(selector, 0, limit))) {
                out.add(d.cloneDeeply());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Object findOne(Channel channel, String database, String coll, Document filter, Object projection) {
        Document find = new Document("find", coll).append("filter", filter).append("limit", 1)
            .append("singleBatch", true);
        if (projection != null) {
            find.put("projection", projection);
        }
        Document cursor = (Document) inner.handleCommand(channel, database, "find", find).get("cursor");
        List<Document> batch = (List<Document>) cursor.get("firstBatch");
        return batch.isEmpty() ? null : batch.get(0);
    }

    private static Document single(String coll, Document stmt) {
        return new Document("update", coll).append("updates", List.of(stmt)).append("ordered", Boolean.TRUE);
    }

    private static Document idOf(Document doc) {
        return new Document("_id", doc.get("_id"));
    }

    private static int count(Document r, String key) {
        return r.get(key) instanceof Number ? ((Number) r.get(key)).intValue() : 0;
    }

    @SuppressWarnings("unchecked")
    private static void throwFirstWriteError(Document r) {
        if (r.get("writeErrors") instanceof List && !((List<?>) r.get("writeErrors")).isEmpty()) {
            Document e = ((List<Document>) r.get("writeErrors")).get(0);
            int code = e.get("code") instanceof Number ? ((Number) e.get("code")).intValue() : 2;
            String codeName = (String) e.getOrDefault("codeName", "Location" + code);
            throw new MongoServerError(code, codeName, String.valueOf(e.get("errmsg")));
        }
    }
}

package compat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.aggregation.stage.AggregationStage;
import de.bwaldvogel.mongo.backend.aggregation.stage.ProjectStage;
import de.bwaldvogel.mongo.backend.aggregation.stage.UnsetStage;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

/**
 * An update given as an aggregation pipeline (MongoDB 4.2+), applied to one document at a time. The stages an
 * update allows: {@code $set}/{@code $addFields}, {@code $unset}, {@code $project}, {@code $replaceRoot}/{@code
 * $replaceWith}. Expressions are mongo-java-server's own ({@code Expression}); {@code $$NOW} is fixed once per
 * statement, as in mongod.
 */
final class UpdatePipeline {
    private final List<UnaryOperator<Document>> stages;

    private UpdatePipeline(List<UnaryOperator<Document>> stages) {
        this.stages = stages;
    }

    /** Parses an update's pipeline; {@code now} is the value of {@code $$NOW} for the whole statement. */
    static UpdatePipeline parse(List<?> pipeline, Instant now) {
        List<UnaryOperator<Document>> stages = new ArrayList<>();
        for (Object s : pipeline) {
            if (!(s instanceof Document) || ((Document) s).size() != 1) {
                throw new MongoServerError(40323,
                    "A pipeline stage specification object must contain exactly one field.");
            }
            Map.Entry<String, Object> e = ((Document) s).entrySet().iterator().next();
            stages.add(stage(e.getKey(), bindVariables(e.getValue(), now)));
        }
        return new UpdatePipeline(stages);
    }

    /** The document after every stage; {@code doc} itself is left as it was. */
    Document apply(Document doc) {
        Document out = doc.cloneDeeply();
        for (UnaryOperator<Document> stage : stages) {
            out = stage.apply(out);
        }
        return out;
    }

    private static UnaryOperator<Document> stage(String name, Object spec) {
        switch (name) {
            case "$set":
            case "$addFields":
                if (!(spec instanceof Document) || ((Document) spec).isEmpty()) {
                    throw new MongoServerError(40272,
                        "Invalid " + name + " :: caused by :: specification must be a non-empty object");
                }
                return doc -> setFields(doc, (Document) spec);
            case "$unset":
                return of(new UnsetStage(spec));
            case "$project":
                return of(new ProjectStage(spec));
            case "$replaceRoot":
                if (!(spec instanceof Document) || !((Document) spec).containsKey("newRoot")) {
                    throw new MongoServerError(40231, "no newRoot specified for the $replaceRoot stage");
                }
                return doc -> replaceRoot(doc, ((Document) spec).get("newRoot"));
            case "$replaceWith":
                return doc -> replaceRoot(doc, spec);
            default:
                throw new MongoServerError(72, "InvalidOptions", name + " is not allowed to be used within an update");
        }
    }

    private static UnaryOperator<Document> of(AggregationStage stage) {
        return doc -> stage.apply(Stream.of(doc)).findFirst().orElseThrow();
    }

    /**
     * $set: an object literal ({@code {a: {b: 1}}}, or the dotted {@code "a.b"}) merges into the embedded document;
     * any other value is an expression whose result replaces the field, and a missing result removes it. Every
     * expression sees the stage's input document.
     */
    private static Document setFields(Document doc, Document spec) {
        Document out = doc.clone();
        putFields(out, spec, doc);
        return out;
    }

    private static void putFields(Document target, Document spec, Document root) {
        for (Map.Entry<String, Object> e : spec.entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            if (dot > 0) {
                Document nested = new Document(key.substring(dot + 1), e.getValue());
                putFields(target, new Document(key.substring(0, dot), nested), root);
            } else if (isObjectLiteral(e.getValue())) {
                Object old = target.get(key);
                Document sub = old instanceof Document ? ((Document) old).clone() : new Document();
                putFields(sub, (Document) e.getValue(), root);
                target.put(key, sub);
            } else {
                Object value = Evaluation.evaluate(e.getValue(), root);
                if (value instanceof Missing) {
                    target.remove(key);
                } else {
                    target.put(key, value);
                }
            }
        }
    }

    private static boolean isObjectLiteral(Object v) {
        return v instanceof Document && !((Document) v).isEmpty()
            && !((Document) v).keySet().iterator().next().startsWith("$");
    }

    private static Document replaceRoot(Document doc, Object newRoot) {
        Object value = Evaluation.evaluate(newRoot, doc);
        if (!(value instanceof Document)) {
            throw new MongoServerError(40228,
                "'newRoot' expression must evaluate to an object, but resulting value was: " + value);
        }
        return (Document) value;
    }

    /**
     * {@code $$NOW} becomes one literal date for the statement (mongo-java-server reads the clock at each use);
     * {@code $$CURRENT}, which it does not know, is {@code $$ROOT} here. Values inside {@code $literal} stay as
     * written.
     */
    private static Object bindVariables(Object spec, Instant now) {
        if (spec instanceof String) {
            String s = (String) spec;
            if (s.equals("$$NOW")) {
                return new Document("$literal", now);
            }
            boolean current = s.equals("$$CURRENT") || s.startsWith("$$CURRENT.");
            return current ? "$$ROOT" + s.substring("$$CURRENT".length()) : s;
        }
        if (spec instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object v : (List<?>) spec) {
                out.add(bindVariables(v, now));
            }
            return out;
        }
        if (spec instanceof Document) {
            Document out = new Document();
            for (Map.Entry<String, Object> e : ((Document) spec).entrySet()) {
                out.put(e.getKey(), e.getKey().equals("$literal") ? e.getValue() : bindVariables(e.getValue(), now));
            }
            return out;
        }
        return spec;
    }
}

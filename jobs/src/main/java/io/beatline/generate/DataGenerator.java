package io.beatline.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a seeded, realistic raw zone in the layout of SPEC 2: events as gzip JSON lines per
 * landing date, and a full CRM snapshot of every entity every few days (and on the last day).
 *
 * <p>Users follow a profile: steady, rising, declining, gone dormant, or back after a pause;
 * a few are new, some never act. The event mix is skewed (logins and dashboards dominate). A
 * small share of events arrive late, twice, or broken, so ingestion has real work to do. With an
 * anonymous share, users also act logged out on their devices: new users browse before they
 * sign up, each device is linked by its user's first event of a day (a link delivered late
 * re-attributes the days before it), and a few devices are shared by two users.
 */
public final class DataGenerator {

    /** Event names with their share of the mix; page_view is the one a config usually excludes. */
    static final String[] EVENTS = {"login", "view_dashboard", "page_view", "run_report", "export_report",
        "share_report", "create_dashboard", "invite_user", "api_call"};
    private static final double[] EVENT_SHARE = {0.24, 0.22, 0.18, 0.14, 0.06, 0.05, 0.04, 0.02, 0.05};
    static final String[] ONBOARDING = {"complete_profile", "connect_data_source", "create_first_report"};

    private static final String[] INDUSTRIES = {"Software", "Retail", "Finance", "Healthcare", "Manufacturing", "Media", "Logistics"};
    private static final String[][] PLACES = {{"DE", "Berlin"}, {"FR", "Paris"}, {"US", "New York"}, {"US", "Austin"},
        {"GB", "London"}, {"SE", "Stockholm"}, {"NL", "Amsterdam"}, {"ES", "Madrid"}};
    private static final String[] OWNERS = {"Ana Lopez", "Ben Okafor", "Chloe Martin", "Dev Patel", "Eva Schmidt"};
    private static final String[] TAGS = {"strategic", "at-risk", "expansion", "partner", "beta"};
    private static final String[] ROLES = {"admin", "analyst", "analyst", "viewer", "viewer", "viewer", "decision_maker"};
    private static final String[] TITLES = {"Head of Data", "Analyst", "CFO", "Marketing Manager", "Engineer", "COO"};
    private static final String[] DEPARTMENTS = {"Finance", "Marketing", "Operations", "Engineering", "Sales"};
    private static final String[] PRODUCTS = {"Analytics", "Reporting", "Connect", "API"};
    private static final String[] FIRST = {"Alex", "Sam", "Kim", "Lee", "Noa", "Ravi", "Mia", "Omar", "Ines", "Tom", "Yuki", "Zoe"};
    private static final String[] LAST = {"Berg", "Costa", "Dubois", "Ito", "Khan", "Meyer", "Novak", "Rossi", "Silva", "Weber"};
    private static final String[] WORDS = {"Acme", "Blue", "Cedar", "Delta", "Echo", "Fjord", "Granite", "Harbor", "Iris",
        "Juniper", "Kite", "Lumen", "Maple", "Nimbus", "Orbit", "Pine", "Quartz", "River", "Summit", "Tidal"};
    private static final String[] SUFFIXES = {"Labs", "GmbH", "Inc", "Group", "Systems", "Retail", "Health", "Foods"};

    enum Profile { STEADY, RISING, DECLINING, DORMANT, COMEBACK, NEW, NEVER }

    record Account(String id, String name, String owner, String industry, String country, String city, String tags,
                   LocalDate createdAt, String tier, int employees) {
    }

    record User(String id, int account, String email, String name, String role, String title, LocalDate createdAt,
                String department, boolean inCrm, Profile profile, double rate, int pivotDay, String otherAccount) {
    }

    private final GeneratorOptions options;
    private final Configuration hadoop;
    private final List<Account> accounts = new ArrayList<>();
    private final List<User> users = new ArrayList<>();

    public DataGenerator(GeneratorOptions options, Configuration hadoop) {
        this.options = options;
        this.hadoop = hadoop;
    }

    /** What was written, for the command's summary. */
    public record Summary(int days, long events, long eventFiles, int crmSnapshots) {
    }

    public Summary generate() {
        SplittableRandom random = new SplittableRandom(options.seed());
        makeAccounts(random.split());
        makeUsers(random.split());
        long events = 0;
        long files = 0;
        // Late and re-delivered events land in a later folder: carried forward by landing date.
        Map<LocalDate, List<String>> carried = new TreeMap<>();
        SplittableRandom eventRandom = random.split();
        for (int day = 0; day < options.days(); day++) {
            LocalDate date = options.startDate().plusDays(day);
            List<String> lines = eventsOf(day, date, eventRandom, carried);
            lines.addAll(carried.getOrDefault(date, List.of()));
            carried.remove(date);
            events += lines.size();
            files += writeEventFiles(date, lines, eventRandom);
        }
        int snapshots = 0;
        SplittableRandom crmRandom = random.split();
        for (int day = 0; day < options.days(); day++) {
            LocalDate date = options.startDate().plusDays(day);
            if (day % options.crmEveryDays() == 0 || day == options.days() - 1) {
                writeCrmSnapshot(date, day, crmRandom.split());
                snapshots++;
            }
        }
        return new Summary(options.days(), events, files, snapshots);
    }

    private void makeAccounts(SplittableRandom random) {
        for (int i = 0; i < options.accounts(); i++) {
            String[] place = PLACES[random.nextInt(PLACES.length)];
            String name = WORDS[i % WORDS.length] + " " + SUFFIXES[(i / WORDS.length + random.nextInt(3)) % SUFFIXES.length]
                    + (i >= WORDS.length * SUFFIXES.length ? " " + i : "");
            StringBuilder tags = new StringBuilder();
            for (String tag : TAGS) {
                if (random.nextDouble() < 0.2) {
                    tags.append(tags.length() == 0 ? "" : ";").append(tag);
                }
            }
            int employees = (int) Math.round(Math.exp(3 + random.nextDouble() * 6));
            String tier = employees > 2000 ? "enterprise" : employees > 200 ? "mid-market" : "smb";
            accounts.add(new Account(String.format("acc-%04d", i + 1), name, OWNERS[random.nextInt(OWNERS.length)],
                    INDUSTRIES[random.nextInt(INDUSTRIES.length)], place[0], place[1], tags.toString(),
                    options.startDate().minusDays(60 + random.nextInt(900)), tier, employees));
        }
    }

    private void makeUsers(SplittableRandom random) {
        for (int i = 0; i < options.users(); i++) {
            // every account gets a user; the rest are skewed towards the first accounts
            int account = i < options.accounts() ? i
                    : (int) Math.min(options.accounts() - 1, Math.floor(options.accounts() * Math.pow(random.nextDouble(), 1.6)));
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            double pick = random.nextDouble();
            Profile profile = pick < 0.40 ? Profile.STEADY : pick < 0.50 ? Profile.RISING : pick < 0.62 ? Profile.DECLINING
                    : pick < 0.72 ? Profile.DORMANT : pick < 0.80 ? Profile.COMEBACK : pick < 0.90 ? Profile.NEW : Profile.NEVER;
            int pivot = options.days() <= 2 ? 0 : 1 + random.nextInt(options.days() - 1);
            LocalDate created = profile == Profile.NEW ? options.startDate().plusDays(pivot)
                    : options.startDate().minusDays(1 + random.nextInt(400));
            double rate = Math.exp(random.nextGaussian() * 0.9); // heavy-tailed activity
            boolean inCrm = random.nextDouble() >= 0.04;         // a few users exist only in events
            String otherAccount = random.nextDouble() < 0.02 && options.accounts() > 1
                    ? accounts.get((account + 1) % options.accounts()).id() : null;
            users.add(new User(String.format("u-%06d", i + 1), account,
                    (first + "." + last + "." + (i + 1)).toLowerCase() + "@" + accounts.get(account).id() + ".example.com",
                    first + " " + last, ROLES[random.nextInt(ROLES.length)], TITLES[random.nextInt(TITLES.length)],
                    created, DEPARTMENTS[random.nextInt(DEPARTMENTS.length)], inCrm, profile, rate, pivot, otherAccount));
        }
    }

    /** How active a user is on a day, relative to their own rate. */
    private static double intensity(User user, int day, int days) {
        double progress = days <= 1 ? 1 : (double) day / (days - 1);
        return switch (user.profile()) {
            case STEADY -> 1;
            case RISING -> 0.2 + 1.6 * progress;
            case DECLINING -> 1.8 - 1.7 * progress;
            case DORMANT -> day < user.pivotDay() ? 1 : 0;
            case COMEBACK -> day < user.pivotDay() / 2 || day >= user.pivotDay() ? 1 : 0;
            case NEW -> day >= user.pivotDay() ? 1.3 : 0;
            case NEVER -> 0;
        };
    }

    private List<String> eventsOf(int day, LocalDate date, SplittableRandom random, Map<LocalDate, List<String>> carried) {
        double[] weights = new double[users.size()];
        double total = 0;
        for (int u = 0; u < users.size(); u++) {
            User user = users.get(u);
            boolean weekend = date.getDayOfWeek().getValue() >= 6;
            weights[u] = user.rate() * intensity(user, day, options.days()) * (weekend ? 0.3 : 1);
            total += weights[u];
        }
        List<String> lines = new ArrayList<>();
        if (total == 0) {
            return lines;
        }
        for (int u = 0; u < users.size(); u++) {
            double expected = options.eventsPerDay() * weights[u] / total;
            int count = (int) expected + (random.nextDouble() < expected - Math.floor(expected) ? 1 : 0);
            User user = users.get(u);
            if (options.anonymousShare() > 0 && user.profile() == Profile.NEW && day < user.pivotDay()
                    && day >= user.pivotDay() - 2) {
                // a pre-sign-up session: browsing logged out on the device the user signs up from
                for (int e = 0; e < 3; e++) {
                    lines.add(eventLine(user, e == 0 ? "page_view" : "view_dashboard", date, random, Identity.ANONYMOUS, u));
                }
            }
            for (int e = 0; e < count; e++) {
                String event = pickEvent(random);
                // onboarding steps: done early in a user's life, by most users
                if (e == 0 && random.nextDouble() < 0.08) {
                    event = ONBOARDING[random.nextInt(ONBOARDING.length)];
                }
                // with anonymous events: the day's first event identifies (links the device), then a share is logged out
                Identity identity = options.anonymousShare() == 0 ? Identity.USER
                        : e == 0 ? Identity.LINKED : random.nextDouble() < options.anonymousShare() ? Identity.ANONYMOUS : Identity.USER;
                String line = eventLine(user, event, date, random, identity, u);
                double fate = random.nextDouble();
                if (fate < 0.004) {
                    carried.computeIfAbsent(date.plusDays(1 + random.nextInt(3)), d -> new ArrayList<>()).add(line); // late
                } else if (fate < 0.007) {
                    lines.add(line);
                    carried.computeIfAbsent(date.plusDays(1), d -> new ArrayList<>()).add(line); // re-delivered next day
                } else if (fate < 0.008) {
                    lines.add(line);
                    lines.add(line); // delivered twice in the same folder
                } else {
                    lines.add(line);
                }
            }
        }
        int broken = Math.max(1, options.eventsPerDay() / 2500);
        for (int b = 0; b < broken && options.eventsPerDay() > 0; b++) {
            lines.add(brokenLine(date, random));
        }
        return lines;
    }

    private static String pickEvent(SplittableRandom random) {
        double pick = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < EVENTS.length; i++) {
            cumulative += EVENT_SHARE[i];
            if (pick < cumulative) {
                return EVENTS[i];
            }
        }
        return EVENTS[0];
    }

    /**
     * Who an event names: {@code USER} its user (and, as ever, 0.5% a stray anonymous id instead),
     * {@code ANONYMOUS} only the user's device, {@code LINKED} both (an identify).
     */
    enum Identity { USER, ANONYMOUS, LINKED }

    /**
     * The device (anonymous id) of user {@code index} (user number index + 1, as in its id): its
     * own, {@code dev-<number>}, except that every 100th user shares the previous user's device
     * (a shared computer: one of the two links is a conflict).
     */
    private static String device(int index) {
        int number = index + 1;
        return String.format("dev-%06d", number % 100 == 0 ? number - 1 : number);
    }

    private String eventLine(User user, String event, LocalDate date, SplittableRandom random, Identity identity, int index) {
        // office hours in UTC, with a tail into the night
        long second = (long) (7 * 3600 + Math.abs(random.nextGaussian()) * 5 * 3600) % 86400;
        LocalDateTime local = date.atStartOfDay().plusSeconds(second).plusNanos(random.nextInt(1000) * 1_000_000L);
        double style = random.nextDouble();
        String timestamp;
        if (style < 0.7) {
            timestamp = quote(local.atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } else if (style < 0.85) {
            timestamp = quote(local.atOffset(ZoneOffset.UTC).atZoneSameInstant(ZoneOffset.ofHours(2))
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        } else {
            timestamp = Long.toString(local.toInstant(ZoneOffset.UTC).toEpochMilli());
        }
        String eventId = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        String account = user.otherAccount() != null ? user.otherAccount()
                : random.nextDouble() < 0.1 ? null : accounts.get(user.account()).id();
        StringBuilder line = new StringBuilder(200);
        line.append("{\"event_id\":\"").append(eventId).append("\",\"event\":\"").append(event).append('"');
        if (identity == Identity.USER) {
            if (random.nextDouble() < 0.005) {
                line.append(",\"anonymous_id\":\"anon-").append(Long.toHexString(random.nextLong() & 0xffffff)).append('"');
            } else {
                line.append(",\"user_id\":\"").append(user.id()).append('"');
            }
        } else {
            if (identity == Identity.LINKED) {
                line.append(",\"user_id\":\"").append(user.id()).append('"');
            }
            line.append(",\"anonymous_id\":\"").append(device(index)).append('"');
        }
        if (account != null) {
            line.append(",\"account_id\":\"").append(account).append('"');
        }
        line.append(",\"timestamp\":").append(timestamp);
        line.append(",\"properties\":{\"plan\":\"").append(accounts.get(user.account()).tier()).append('"');
        if (event.endsWith("_report")) {
            line.append(",\"report_id\":\"r-").append(random.nextInt(500)).append('"');
        }
        line.append(",\"duration_ms\":").append(50 + random.nextInt(5000)).append("}}");
        return line.toString();
    }

    /** One line of each kind ingestion must quarantine, in turn. */
    private static String brokenLine(LocalDate date, SplittableRandom random) {
        String ts = quote(date.atTime(12, 0).atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        String id = quote("bad-" + Long.toHexString(random.nextLong()));
        return switch (random.nextInt(6)) {
            case 0 -> "{\"event_id\":" + id + ",\"event\":\"login\",\"user_id\":\"u-000001\",\"timestamp\":" + ts; // truncated
            case 1 -> "{\"event\":\"login\",\"user_id\":\"u-000001\",\"timestamp\":" + ts + "}";
            case 2 -> "{\"event_id\":" + id + ",\"user_id\":\"u-000001\",\"timestamp\":" + ts + "}";
            case 3 -> "{\"event_id\":" + id + ",\"event\":\"login\",\"timestamp\":" + ts + "}";
            case 4 -> "{\"event_id\":" + id + ",\"event\":\"login\",\"user_id\":\"u-000001\",\"timestamp\":\"yesterday\"}";
            default -> "{\"event_id\":" + id + ",\"event\":\"login\",\"user_id\":\"u-000001\",\"timestamp\":"
                    + quote(date.plusDays(9).atTime(9, 0).atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)) + "}";
        };
    }

    private long writeEventFiles(LocalDate date, List<String> lines, SplittableRandom random) {
        // shuffle so that duplicates and late events are spread over the files
        for (int i = lines.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            String swap = lines.get(i);
            lines.set(i, lines.get(j));
            lines.set(j, swap);
        }
        int files = Math.max(1, Math.min(options.filesPerDay(), lines.size()));
        int perFile = (lines.size() + files - 1) / Math.max(1, files);
        for (int f = 0; f < files; f++) {
            String path = options.out() + "/events/dt=" + date + "/part-" + String.format("%05d", f) + ".jsonl.gz";
            try (Writer writer = gzipWriter(path)) {
                for (int i = f * perFile; i < Math.min(lines.size(), (f + 1) * perFile); i++) {
                    writer.write(lines.get(i));
                    writer.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + path, e);
            }
        }
        return files;
    }

    private void writeCrmSnapshot(LocalDate date, int day, SplittableRandom random) {
        Csv companies = new Csv("company_id", "name", "owner", "industry", "country", "city", "tags", "created_at",
                "tier", "employees");
        for (Account a : accounts) {
            companies.row(a.id(), a.name(), a.owner(), a.industry(), a.country(), a.city(), a.tags(),
                    a.createdAt().toString(), a.tier(), Integer.toString(a.employees()));
        }
        Csv endUsers = new Csv("user_id", "company_id", "email", "name", "role", "title", "created_at", "department");
        for (User u : users) {
            if (u.inCrm() && !u.createdAt().isAfter(date)) {
                endUsers.row(u.id(), accounts.get(u.account()).id(), u.email(), u.name(), u.role(), u.title(),
                        u.createdAt().toString(), u.department());
            }
        }
        Csv licenses = new Csv("license_id", "company_id", "product", "amount", "period", "currency", "seats",
                "start_date", "end_date");
        Csv invoices = new Csv("invoice_id", "company_id", "amount", "issued_at", "due_date", "status");
        for (int i = 0; i < accounts.size(); i++) {
            Account a = accounts.get(i);
            SplittableRandom accountRandom = new SplittableRandom(options.seed() * 31 + i); // stable across snapshots
            int count = 1 + accountRandom.nextInt(3);
            for (int l = 0; l < count; l++) {
                boolean monthly = accountRandom.nextDouble() < 0.3;
                int seats = 5 + accountRandom.nextInt(60);
                long amount = monthly ? 200L + accountRandom.nextInt(2800) : 3000L + accountRandom.nextInt(45000);
                LocalDate start = a.createdAt().plusDays(accountRandom.nextInt(60));
                LocalDate end = accountRandom.nextDouble() < 0.2 ? options.startDate().plusDays(accountRandom.nextInt(options.days())) : null;
                licenses.row(a.id() + "-L" + (l + 1), a.id(), PRODUCTS[(i + l) % PRODUCTS.length], Long.toString(amount),
                        monthly ? "monthly" : "annual", i % 4 == 0 ? "EUR" : "USD", Integer.toString(seats),
                        start.toString(), end == null ? "" : end.toString());
                LocalDate issued = date.minusDays(accountRandom.nextInt(50));
                boolean paid = issued.plusDays(14 + accountRandom.nextInt(30)).isBefore(date) && accountRandom.nextDouble() < 0.8;
                invoices.row(a.id() + "-I" + (l + 1) + "-" + issued.getMonthValue(), a.id(),
                        String.format("%.2f", amount * (monthly ? 1.0 : 0.25)), issued.toString(), issued.plusDays(30).toString(),
                        paid ? "paid" : accountRandom.nextDouble() < 0.1 ? "void" : "open");
            }
        }
        Csv nps = new Csv("response_id", "user_id", "company_id", "score", "responded_at", "comment");
        Csv conversations = new Csv("conversation_id", "company_id", "user_id", "type", "created_at");
        Csv customMetrics = new Csv("entity_type", "entity_id", "metric", "date", "value");
        String[] types = {"email", "ticket", "meeting", "call", "note"};
        for (int d = 0; d <= day; d++) {
            LocalDate past = options.startDate().plusDays(d);
            SplittableRandom dayRandom = new SplittableRandom(options.seed() * 7919 + d); // the same past in every snapshot
            for (User u : users) {
                if (u.inCrm() && !u.createdAt().isAfter(past) && dayRandom.nextDouble() < 0.01) {
                    int score = (int) Math.max(0, Math.min(10, Math.round(7.5 + dayRandom.nextGaussian() * 2.5
                            + (u.profile() == Profile.DECLINING ? -3 : 0))));
                    nps.row("nps-" + u.id() + "-" + past, u.id(), accounts.get(u.account()).id(), Integer.toString(score),
                            isoAt(past, 10, 0), score <= 6 ? "too slow, hard to use" : "");
                }
            }
            for (Account a : accounts) {
                if (dayRandom.nextDouble() < 0.15) {
                    conversations.row("conv-" + a.id() + "-" + past, a.id(), "", types[dayRandom.nextInt(types.length)],
                            isoAt(past, 15, 30));
                }
                customMetrics.row("account", a.id(), "open_tickets", past.toString(), Integer.toString(dayRandom.nextInt(6)));
            }
        }
        // a few rows CRM ingestion must quarantine
        endUsers.row("", "acc-0001", "nobody@example.com", "No Id", "viewer", "", date.toString(), "");
        licenses.row("bad-license-" + date, accounts.get(0).id(), "Analytics", "twelve hundred", "annual", "USD", "5",
                date.toString(), "");
        if (!users.isEmpty() && random.nextDouble() < 0.5) {
            User u = users.get(0);
            endUsers.row(u.id(), accounts.get(u.account()).id(), u.email(), u.name(), u.role(), u.title(),
                    u.createdAt().toString(), u.department()); // duplicated key
        }
        companies.write(crmPath("companies", date));
        endUsers.write(crmPath("end_users", date));
        licenses.write(crmPath("licenses", date));
        nps.write(crmPath("nps_responses", date));
        conversations.write(crmPath("conversations", date));
        invoices.write(crmPath("invoices", date));
        customMetrics.write(crmPath("custom_metrics", date));
    }

    private String crmPath(String entity, LocalDate date) {
        return options.out() + "/crm/" + entity + "/dt=" + date + "/" + entity + ".csv";
    }

    private Writer gzipWriter(String path) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(create(path), 1 << 16), StandardCharsets.UTF_8), 1 << 16);
    }

    private OutputStream create(String path) throws IOException {
        Path target = new Path(path);
        FileSystem fs = target.getFileSystem(hadoop);
        fs.setWriteChecksum(false); // no .crc side files in a local raw zone
        return fs.create(target, true);
    }

    private static String isoAt(LocalDate date, int hour, int minute) {
        return date.atTime(hour, minute).atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static String quote(String value) {
        return "\"" + value + "\"";
    }

    /** A CSV file with a header row; fields quoted when they hold a comma, quote or newline. */
    private final class Csv {
        private final StringBuilder text = new StringBuilder();

        Csv(String... header) {
            row(header);
        }

        void row(String... fields) {
            for (int i = 0; i < fields.length; i++) {
                String field = fields[i] == null ? "" : fields[i];
                if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
                    field = "\"" + field.replace("\"", "\"\"") + "\"";
                }
                text.append(i == 0 ? "" : ",").append(field);
            }
            text.append('\n');
        }

        void write(String path) {
            try (OutputStream out = create(path)) {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + path, e);
            }
        }
    }
}

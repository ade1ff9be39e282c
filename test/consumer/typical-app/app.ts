// A typical express-session app in TypeScript: login with regenerate, a counter, a cart, remember-me, logout with destroy, and passport-local.
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    views: number;
    cart: string[];
  }
}

const users = new Map([
  ['alice', 'wonderland'],
  ['bob', 'builder'],
]);

passport.use(new LocalStrategy((username, password, done) => done(null, users.get(username) === password ? { id: username } : false)));
passport.serializeUser((user, done) => done(null, (user as { id: string }).id));
passport.deserializeUser((id: string, done) => done(null, { id }));

export function createApp(): express.Express {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(
    session({
      secret: 'keyboard cat',
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: 30 * 60 * 1000 },
    }),
  );
  app.use(passport.session());

  app.get('/', (req, res) => {
    req.session.views = (req.session.views ?? 0) + 1;
    const who = req.session.userId ?? (req.user as { id: string } | undefined)?.id ?? 'guest';
    res.send(`hello ${who}, views ${req.session.views}`);
  });

  app.post('/cart', (req, res) => {
    req.session.cart = [...(req.session.cart ?? []), String(req.body.item)];
    res.json({ cart: req.session.cart });
  });

  app.get('/cart', (req, res) => {
    res.json({ cart: req.session.cart ?? [] });
  });

  app.post('/login', (req, res, next) => {
    const { username, password, remember } = req.body as Record<string, string | undefined>;
    if (username === undefined || users.get(username) !== password) return void res.status(401).send('wrong username or password');
    // As express-session's README does it: a new session (no fixation), then the user, then save before redirecting.
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.userId = username;
      if (remember === 'on') req.session.cookie.maxAge = 30 * 24 * 3600 * 1000;
      req.session.save((err) => {
        if (err) return next(err);
        res.redirect('/');
      });
    });
  });

  app.post('/logout', (req, res, next) => {
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie('connect.sid');
      res.redirect('/');
    });
  });

  app.post('/passport/login', passport.authenticate('local', { failWithError: true }), (req, res) => {
    res.json({ user: (req.user as { id: string }).id });
  });

  app.post('/passport/login-keep', passport.authenticate('local', { failWithError: true, keepSessionInfo: true }), (req, res) => {
    res.json({ user: (req.user as { id: string }).id });
  });

  app.post('/passport/logout', (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      res.json({ user: null });
    });
  });

  app.post('/passport/logout-keep', (req, res, next) => {
    req.logout({ keepSessionInfo: true }, (err) => {
      if (err) return next(err);
      res.json({ user: null });
    });
  });

  app.get('/passport/me', (req, res) => {
    res.json({ user: (req.user as { id: string } | undefined)?.id ?? null });
  });

  return app;
}

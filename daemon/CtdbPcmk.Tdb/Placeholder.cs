namespace CtdbPcmk.Tdb;
